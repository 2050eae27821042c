package dev.unplug.testkit.frame;

import static org.assertj.core.api.Assertions.assertThat;

import dev.unplug.testkit.readme.ReadmeExampleTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README's binary example is the plugin {@link EchoFrameTest} runs, byte for byte, and stays small. */
class EchoFrameReadmeTest {

    @Test
    void theReadmesBinaryExampleIsTheTestedPluginAndAtMost45CountedLines() throws IOException {
        Path root = root();
        String readme = Files.readString(root.resolve("README.md"), StandardCharsets.UTF_8);
        Matcher block = Pattern.compile("```java\\n(package dev\\.unplug\\.testkit\\.frame;.*?)```", Pattern.DOTALL)
                .matcher(readme);
        assertThat(block.find()).as("the binary example in the README's plugin guide").isTrue();
        String tested = Files.readString(root.resolve("testkit/src/test/java/dev/unplug/testkit/frame/"
                + "EchoFrameProvider.java"), StandardCharsets.UTF_8);
        assertThat(block.group(1)).isEqualTo(tested);
        assertThat(ReadmeExampleTest.countedLines(tested)).isLessThanOrEqualTo(45);
    }

    private static Path root() throws IOException {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("README.md")) && Files.isDirectory(dir.resolve("testkit"))) {
                return dir;
            }
        }
        throw new IOException("no project root above " + Path.of("").toAbsolutePath());
    }
}
