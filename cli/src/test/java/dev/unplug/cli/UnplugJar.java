package dev.unplug.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the packaged fat jar, {@code target/unplug.jar}, as a user would: {@code java -jar unplug.jar ARGS} in a
 * child process, with a bounded wait (the process is killed, by its own handle, when it overruns).
 */
final class UnplugJar {

    /** What a run printed and how it exited. */
    record Result(int exit, String out, String err) {
        /** Standard output and standard error together. */
        String all() {
            return out + err;
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private UnplugJar() {
    }

    static Path jar() {
        Path jar = Path.of(System.getProperty("unplug.jar", "target/unplug.jar"));
        assertThat(jar).as("the fat jar, built by mvn package").isRegularFile();
        return jar;
    }

    static Result run(String... args) {
        return runWith(List.of("-jar", jar().toString()), args);
    }

    /**
     * Runs {@code java LAUNCH ARGS}, such as {@code java -cp thin.jar dev.unplug.cli.Main probe ...}.
     *
     * @param launch what follows {@code java}: how to start the command
     * @param args the command's arguments
     */
    static Result runWith(List<String> launch, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(launch);
        command.addAll(List.of(args));
        Path out = null;
        Path err = null;
        Process p = null;
        try {
            out = Files.createTempFile("unplug-out", ".txt");
            err = Files.createTempFile("unplug-err", ".txt");
            p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(nullFile())).start();
            if (!p.waitFor(90, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("unplug " + String.join(" ", args) + " did not end within 90 s");
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError("could not run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } finally {
            if (p != null && p.isAlive()) {
                p.destroyForcibly();
            }
            delete(out);
            delete(err);
        }
    }

    private static java.io.File nullFile() {
        return new java.io.File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }

    private static void delete(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // a temp file left behind is harmless
            }
        }
    }
}
