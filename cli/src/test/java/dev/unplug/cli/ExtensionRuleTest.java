package dev.unplug.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The extension rule, checked on the sources of the command and the benchmarks: they reach what a plugin offers
 * beyond {@code Connection} only through api types ({@code unwrap}, {@code host.extension}), as an application
 * whose plugins come from a plugins folder must; no import of a plugin's own package.
 */
class ExtensionRuleTest {

    private static final Pattern PLUGIN_IMPORT = Pattern.compile(
            "^import (static )?dev\\.unplug\\.(smtp|pop3|imap|nntp|wds|capture|netcon|postgres|transport)\\.", Pattern.MULTILINE);

    @Test
    void theCommandAndTheBenchmarksImportNoPluginClass() throws IOException {
        Path root = Path.of("").toAbsolutePath().getParent();
        List<String> offenders;
        try (Stream<Path> files = Stream.concat(Files.walk(root.resolve("cli/src/main/java")),
                Files.walk(root.resolve("bench/src/main/java")))) {
            offenders = files.filter(p -> p.toString().endsWith(".java")).filter(p -> {
                try {
                    return PLUGIN_IMPORT.matcher(Files.readString(p)).find();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).map(p -> root.relativize(p).toString()).toList();
        }
        assertThat(root.resolve("cli/src/main/java/dev/unplug/cli/WdsCommand.java")).as("the sources are where this"
                + " test looks").exists();
        assertThat(offenders).as("sources importing a plugin's own classes").isEmpty();
    }
}
