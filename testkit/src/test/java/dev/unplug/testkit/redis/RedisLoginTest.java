package dev.unplug.testkit.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.unplug.api.Connection;
import dev.unplug.api.ErrorKind;
import dev.unplug.api.Options;
import dev.unplug.api.UnplugException;
import dev.unplug.testkit.peer.LineScript;
import dev.unplug.testkit.peer.LoopbackPeer;
import dev.unplug.testkit.readme.ReadmeExampleTest;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The plugin guide's Redis example: its login hook, the password kept out of every message, and the guide in sync. */
class RedisLoginTest {

    private static final String WRONG = "WrongRedisPw!7 with spaces";

    @Test
    void theLoginHookSendsAuthAsARespArrayAndARefusalIsTypedWithoutThePassword() throws Exception {
        List<LogRecord> records = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                records.add(r);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger unplug = Logger.getLogger("dev.unplug");
        Level before = unplug.getLevel();
        unplug.setLevel(Level.ALL);
        unplug.addHandler(capture);
        try (LoopbackPeer redis = LoopbackPeer.scripted(LineScript.builder()
                // answered on the password line, the last of each AUTH array, so the peer has seen it all
                .on(RedisContractTest.PASSWORD::equals, "+OK")
                .on(LineScript.command("PING"), "+PONG")
                .on(WRONG::equals, "-WRONGPASS invalid username-password pair or user is disabled.")
                .goodbye(LineScript.command("QUIT"), "+OK").build())) {
            Connection good = new RedisProvider().open(URI.create("redis://default:" + RedisContractTest.PASSWORD
                    + "@127.0.0.1:" + redis.port()), Options.empty());
            good.connect();
            assertThat(((RedisProvider.RedisConnection) good).ping()).isEqualTo("+PONG");
            assertThat(good.disconnect(Duration.ofSeconds(2)).kind().name()).isEqualTo("CLEAN");
            assertThat(redis.receivedLines()).as("AUTH as a RESP array of bulk strings").containsSubsequence(
                    "*3", "$4", "AUTH", "$7", "default", "$" + RedisContractTest.PASSWORD.length(),
                    RedisContractTest.PASSWORD);

            Connection bad = new RedisProvider().open(URI.create("redis://mallory@127.0.0.1:" + redis.port()),
                    Options.builder().set("password", WRONG).build());
            UnplugException refused = catchThrowableOfType(bad::connect, UnplugException.class);
            assertThat(refused.kind()).isEqualTo(ErrorKind.AUTHENTICATION_FAILED);
            assertThat(refused.serverReply()).hasValueSatisfying(r -> assertThat(r).startsWith("-WRONGPASS"));
            assertThat(refused.getMessage()).contains("mallory").doesNotContain(WRONG);
            assertThat(bad.toString()).doesNotContain(WRONG);
            assertThat(redis.receivedLines()).as("the option's password, binary-safe with its spaces").contains(WRONG);
        } finally {
            unplug.removeHandler(capture);
            unplug.setLevel(before);
        }
        assertThat(records).as("DEBUG records of both connections").isNotEmpty()
                .allSatisfy(r -> assertThat(String.valueOf(r.getMessage()))
                        .doesNotContain(RedisContractTest.PASSWORD).doesNotContain(WRONG));
    }

    @Test
    void theGuidesRedisExampleIsTheTestedPluginByteForByte() throws IOException {
        String guide = Files.readString(ReadmeExampleTest.guide(), StandardCharsets.UTF_8);
        Matcher block = Pattern.compile("```java\\n(package dev\\.unplug\\.testkit\\.redis;.*?)```", Pattern.DOTALL)
                .matcher(guide);
        assertThat(block.find()).as("the Redis example in docs/writing-a-plugin.md").isTrue();
        String tested = Files.readString(ReadmeExampleTest.guide().getParent().getParent().resolve(
                "testkit/src/test/java/dev/unplug/testkit/redis/RedisProvider.java"), StandardCharsets.UTF_8);
        assertThat(block.group(1)).isEqualTo(tested);
        assertThat(ReadmeExampleTest.countedLines(tested)).isLessThanOrEqualTo(55);
    }
}
