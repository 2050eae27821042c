package dev.unplug.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.unplug.api.ErrorKind;
import dev.unplug.api.Options;
import dev.unplug.api.UnplugException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BadInputTest {

    @TempDir
    static Path work;

    private static PluginHost host;

    @BeforeAll
    static void buildHost() throws Exception {
        Path plugins = Files.createDirectory(work.resolve("plugins"));
        PluginJars.jar(plugins, "tcp.jar", "tcp.TcpProvider",
                PluginJars.tcpPlugin("tcp", "tcp", "tcp", "unplug.test.badinput.constructed"));
        host = PluginHost.builder().pluginDirectory(plugins).build();
    }

    @AfterAll
    static void closeHost() {
        host.close();
    }

    private static UnplugException raised(ThrowingCallable call, ErrorKind kind) {
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(call);
        assertThat(t).isInstanceOf(UnplugException.class);
        UnplugException e = (UnplugException) t;
        assertThat(e.kind()).as("kind of: %s", e.getMessage()).isEqualTo(kind);
        return e;
    }

    @Test
    void builderRejectsNullsBlanksMissingFoldersAndNonPositiveDeadlines() throws Exception {
        PluginHost.Builder b = PluginHost.builder();
        assertThat(raised(() -> b.classLoader(null), ErrorKind.NULL_ARGUMENT)).hasMessageContaining("class loader");
        assertThat(raised(() -> b.pluginDirectory(null), ErrorKind.NULL_ARGUMENT))
                .hasMessageContaining("plugin directory");
        Path missing = work.resolve("no-such-folder");
        assertThat(raised(() -> b.pluginDirectory(missing), ErrorKind.INVALID_ARGUMENT))
                .hasMessageContaining(missing.toString());
        Path file = Files.writeString(work.resolve("a-file.txt"), "not a folder");
        assertThat(raised(() -> b.pluginDirectory(file), ErrorKind.INVALID_ARGUMENT))
                .hasMessageContaining("not a directory");
        raised(() -> b.prefer(null), ErrorKind.NULL_ARGUMENT);
        raised(() -> b.prefer("  "), ErrorKind.INVALID_ARGUMENT);
        raised(() -> b.shutdownDeadline(null), ErrorKind.NULL_ARGUMENT);
        raised(() -> b.shutdownDeadline(Duration.ZERO), ErrorKind.INVALID_ARGUMENT);
        raised(() -> b.shutdownDeadline(Duration.ofMillis(-1)), ErrorKind.INVALID_ARGUMENT);
        try (PluginHost stillBuilds = b.build()) {
            assertThat(stillBuilds.plugins()).isEmpty();
        }
    }

    @Test
    void openRejectsNullsWithNullArgument() {
        raised(() -> host.open((URI) null), ErrorKind.NULL_ARGUMENT);
        raised(() -> host.open((URI) null, Options.empty()), ErrorKind.NULL_ARGUMENT);
        raised(() -> host.open(URI.create("tcp://127.0.0.1:1"), null), ErrorKind.NULL_ARGUMENT);
        raised(() -> host.open((String) null, Options.empty()), ErrorKind.NULL_ARGUMENT);
        raised(() -> host.open("tcp://127.0.0.1:1", null), ErrorKind.NULL_ARGUMENT);
    }

    @Test
    void adoptingWhatNoPluginKnowsIsNotSupportedNamingItsTypeAndExtensionsAreTyped() {
        raised(() -> host.adopt(null), ErrorKind.NULL_ARGUMENT);
        raised(() -> host.adopt(new Object(), null), ErrorKind.NULL_ARGUMENT);
        assertThat(raised(() -> host.adopt(new StringBuilder("not a client")), ErrorKind.NOT_SUPPORTED))
                .hasMessageContaining("java.lang.StringBuilder").hasMessageContaining("tcp");
        assertThat(host.openConnections()).as("connections after refused adoptions").isEmpty();
        raised(() -> host.extension(null, Runnable.class), ErrorKind.NULL_ARGUMENT);
        raised(() -> host.extension("tcp", null), ErrorKind.NULL_ARGUMENT);
        assertThat(raised(() -> host.extension("nope", Runnable.class), ErrorKind.INVALID_ARGUMENT))
                .hasMessageContaining("'nope'").hasMessageContaining("[tcp]");
        assertThat(raised(() -> host.extension("tcp", Runnable.class), ErrorKind.NOT_SUPPORTED))
                .hasMessageContaining("java.lang.Runnable");
    }

    @Test
    void unknownSchemeIsAnInvalidArgumentListingTheKnownSchemesWithoutThePassword() {
        UnplugException e = raised(() -> host.open(URI.create("nope://alice:s3cret@127.0.0.1:1")),
                ErrorKind.INVALID_ARGUMENT);
        assertThat(e).hasMessageContaining("'nope'").hasMessageContaining("[tcp]").hasMessageNotContaining("s3cret")
                .hasMessageContaining("alice:***@");
    }

    @Test
    void passwordOfARegistryBasedAuthorityIsMaskedToo() {
        UnplugException e = raised(() -> host.open(URI.create("nope://bob:s3cret@bad_host:25")),
                ErrorKind.INVALID_ARGUMENT);
        assertThat(e).hasMessageNotContaining("s3cret").hasMessageContaining("bob:***@bad_host");
    }

    @Test
    void uriWithoutSchemeIsAnInvalidArgument() {
        assertThat(raised(() -> host.open(URI.create("//127.0.0.1:25")), ErrorKind.INVALID_ARGUMENT))
                .hasMessageContaining("no scheme").hasMessageContaining("[tcp]");
        raised(() -> host.open("127.0.0.1", Options.empty()), ErrorKind.INVALID_ARGUMENT);
    }

    @Test
    void malformedUriTextIsAnInvalidArgumentShowingTheTextWithThePasswordMasked() {
        UnplugException e = raised(() -> host.open("tcp://bob:pa ss@word@127.0.0.1:1/%zz?token=abc", Options.empty()),
                ErrorKind.INVALID_ARGUMENT);
        assertThat(e).hasMessageContaining("malformed URI").hasMessageContaining("tcp://bob:***@")
                .hasMessageNotContaining("pa ss").hasMessageNotContaining("word@").hasMessageNotContaining("abc");
    }

    @Test
    void schemeIsMatchedIgnoringCaseAndThePluginJudgesTheRestOfTheUri() {
        assertThat(raised(() -> host.open("TCP:opaque", Options.empty()), ErrorKind.INVALID_ARGUMENT))
                .hasMessageContaining("tcp needs host and port");
    }

    @Test
    void shutdownRejectsNullAndNonPositiveDeadlines() {
        try (PluginHost other = PluginHost.builder().build()) {
            raised(() -> other.shutdown(null), ErrorKind.NULL_ARGUMENT);
            raised(() -> other.shutdown(Duration.ZERO), ErrorKind.INVALID_ARGUMENT);
            raised(() -> other.shutdown(Duration.ofSeconds(-1)), ErrorKind.INVALID_ARGUMENT);
            assertThat(other.shutdown(Duration.ofMillis(10)).outcomes()).isEmpty();
        }
    }

    @Test
    void listenersMustNotBeNull() {
        raised(() -> host.addListener(null), ErrorKind.NULL_ARGUMENT);
        raised(() -> host.removeListener(null), ErrorKind.NULL_ARGUMENT);
    }

    @Test
    void redactionMasksUserInfoPasswordsAndSecretQueryParameters() {
        assertThat(Texts.redact("imap://alice:secret@host:143/INBOX")).isEqualTo("imap://alice:***@host:143/INBOX");
        assertThat(Texts.redact("smtp://host?password=x&user=bob")).isEqualTo("smtp://host?password=***&user=bob");
        assertThat(Texts.redact("smtp://host/path")).isEqualTo("smtp://host/path");
    }
}
