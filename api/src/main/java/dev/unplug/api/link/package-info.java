/**
 * Network links as connections: the {@code NETCON_STATUS} set and its events ({@link dev.unplug.api.link.LinkControl}).
 *
 * <p><b>Stability: experimental</b> (since 0.1). New in this release: types here may still change in a minor version, said in the release notes, until they are marked stable.
 */
package dev.unplug.api.link;
