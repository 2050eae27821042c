package dev.unplug.cli;

import dev.unplug.api.Connection;
import dev.unplug.api.ErrorKind;
import dev.unplug.api.Options;
import dev.unplug.api.UnplugException;
import dev.unplug.core.PluginHost;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/** Builds the plugin host a command uses: the CLI's own class path plus an optional plugin folder. */
final class Hosts {

    private Hosts() {
    }

    /**
     * A host over the CLI's class path and, when given, the jars of a plugin folder.
     *
     * @param command the command, for usage hints
     * @param pluginsDir the value of {@code --plugins-dir}, if given
     * @throws UsageException when the folder does not exist or is not a folder
     */
    static PluginHost open(String command, Optional<String> pluginsDir) {
        var builder = PluginHost.builder().classLoader(Main.class.getClassLoader());
        if (pluginsDir.isPresent()) {
            builder.pluginDirectory(directory(command, pluginsDir.get()));
        }
        return builder.build();
    }

    /**
     * Opens a connection to a URI given on the command line: a URI or option the plugin rejects is a usage error
     * (exit status 2), any other failure stays a typed error.
     */
    static Connection connection(PluginHost host, String command, String rawUri, Options options) {
        try {
            return host.open(rawUri, options);
        } catch (UnplugException e) {
            if (e.kind() == ErrorKind.INVALID_ARGUMENT || e.kind() == ErrorKind.NULL_ARGUMENT) {
                throw new UsageException(command, e);
            }
            throw e;
        }
    }

    private static Path directory(String command, String text) {
        Path dir;
        try {
            dir = Path.of(text);
        } catch (InvalidPathException e) {
            throw new UsageException(command, "--plugins-dir '" + text + "' is not a valid path");
        }
        if (!Files.isDirectory(dir)) {
            throw new UsageException(command, "--plugins-dir '" + text + "' is not an existing folder");
        }
        return dir.toAbsolutePath().normalize();
    }
}
