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

/** The plugin guide's binary example (docs/writing-a-plugin.md) is the plugin {@link EchoFrameTest} runs, byte for byte, and stays small. */
class EchoFrameReadmeTest {

    @Test
    void theReadmesBinaryExampleIsTheTestedPluginAndAtMost45CountedLines() throws IOException {
        Path root = ReadmeExampleTest.guide().getParent().getParent();
        String readme = Files.readString(ReadmeExampleTest.guide(), StandardCharsets.UTF_8);
        Matcher block = Pattern.compile("```java\\n(package dev\\.unplug\\.testkit\\.frame;.*?)```", Pattern.DOTALL)
                .matcher(readme);
        assertThat(block.find()).as("the binary example in docs/writing-a-plugin.md").isTrue();
        String tested = Files.readString(root.resolve("testkit/src/test/java/dev/unplug/testkit/frame/"
                + "EchoFrameProvider.java"), StandardCharsets.UTF_8);
        assertThat(block.group(1)).isEqualTo(tested);
        assertThat(ReadmeExampleTest.countedLines(tested)).isLessThanOrEqualTo(45);
    }

}
