package dev.unplug.cli;

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
