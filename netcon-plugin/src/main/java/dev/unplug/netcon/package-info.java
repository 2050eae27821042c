/**
 * The netcon plugin: Linux network links as {@code netcon} connections.
 *
 * <p><b>Stability: experimental</b> (since 0.1). New in this release: types here may still change in a minor version, said in the release notes, until they are marked stable.
 */
package dev.unplug.netcon;
