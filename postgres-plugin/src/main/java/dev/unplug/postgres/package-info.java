/**
 * The PostgreSQL plugin: sessions on pgjdbc whose socket the plugin owns, ended under the disconnect contract, and
 * pgjdbc connections the application holds, adopted. The application uses only {@code java.sql} and Unplug's api
 * types: no class of this package.
 *
 * <p><b>Stability: internal</b> (since 0.1; {@code @API(status = INTERNAL)}). Applications reach this plugin through
 * the api's types only (a scheme, {@code unwrap}, {@code host.extension}); its public classes are public for
 * {@link java.util.ServiceLoader} and may change in any release.
 */
package dev.unplug.postgres;
