/**
 * The PostgreSQL plugin: sessions on pgjdbc whose socket the plugin owns, ended under the disconnect contract, and
 * pgjdbc connections the application holds, adopted. The application uses only {@code java.sql} and Unplug's api
 * types: no class of this package.
 *
 * <p><b>Stability: experimental</b> (since 0.1).
 */
package dev.unplug.postgres;
