/**
 * The SMTP plugin: {@code smtp} and {@code smtps} connections and their typed session.
 *
 * <p><b>Stability: internal</b> (since 0.1; {@code @API(status = INTERNAL)}). Applications reach this plugin through
 * the api's types only (a scheme, {@code unwrap}, {@code host.extension}); its public classes are public for
 * {@link java.util.ServiceLoader} and may change in any release.
 */
package dev.unplug.smtp;
