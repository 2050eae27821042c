/**
 * What an application does on an internet mail or news connection beyond the contract: the SMTP, POP3, IMAP and
 * NNTP sessions, each reached with {@code connection.unwrap(...)}. They are api types so that one class is shared
 * by the application and a plugin loaded from a plugins folder (a type of the plugin's own jar is not visible to
 * the application there).
 *
 * <p><b>Stability: experimental</b> (since 0.1). Types here may still change in a minor version, said in the
 * release notes, until they are marked stable.
 */
package dev.unplug.api.mail;
