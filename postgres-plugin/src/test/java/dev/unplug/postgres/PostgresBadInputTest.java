package dev.unplug.postgres;

import static dev.unplug.testkit.UnplugAssertions.assertThatUnplugThrownBy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.unplug.api.Connection;
import dev.unplug.api.ConnectionState;
import dev.unplug.api.ErrorKind;
import dev.unplug.api.Options;
import dev.unplug.testkit.ConnectionTracker;
import dev.unplug.testkit.ProcessResources;
import dev.unplug.testkit.UnplugExtension;
import dev.unplug.testkit.tck.PeerBehaviour;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Bad input and hostile servers: typed errors with clear messages, no password shown, nothing left open. */
@ExtendWith(UnplugExtension.class)
class PostgresBadInputTest {

    private static final String SECRET = "S3cretPgPassw0rd";
    private final PostgresProvider provider = new PostgresProvider();

    @Test
    void malformedUrisAndUnknownOptionsAreRefusedByOpenWithTheUriRedacted() {
        assertThatUnplugThrownBy(() -> provider.open(URI.create("postgresql:///db"), Options.empty()))
                .hasKind(ErrorKind.INVALID_ARGUMENT).messageContains("a host is required");
        assertThatUnplugThrownBy(() -> provider.open(URI.create("postgresql://u:" + SECRET + "@h/db/extra"),
                Options.empty())).hasKind(ErrorKind.INVALID_ARGUMENT).messageContains("one database")
                .messageDoesNotContain(SECRET);
        assertThatUnplugThrownBy(() -> provider.open(URI.create("postgresql://u:" + SECRET + "@h/db?sslmod=require"),
                Options.empty())).hasKind(ErrorKind.INVALID_ARGUMENT).messageContains("unknown postgresql option")
                .messageContains("sslmod").messageContains("sslmode").messageDoesNotContain(SECRET);
        assertThatUnplugThrownBy(() -> provider.open(URI.create("postgresql://h/db?sslmode=sometimes"),
                Options.empty())).hasKind(ErrorKind.INVALID_ARGUMENT).messageContains("sslmode must be one of");
        assertThatUnplugThrownBy(() -> provider.open(URI.create("postgresql://h/db?connect_timeout=soon"),
                Options.empty())).hasKind(ErrorKind.INVALID_ARGUMENT).messageContains("connect_timeout");
        assertThatUnplugThrownBy(() -> provider.open(URI.create("mysql://h/db"), Options.empty()))
                .hasKind(ErrorKind.INVALID_ARGUMENT);
        assertThat(provider.open(URI.create("postgres://h"), Options.empty()).state())
                .isEqualTo(ConnectionState.NOT_INITIALISED);
    }

    @Test
    void aRefusedPasswordIsAuthenticationFailedWithTheServersSqlStateAndNoPassword(ConnectionTracker tracker) {
        try (FakePostgres peer = new FakePostgres(PeerBehaviour.NORMAL, FakePostgres.Trouble.WRONG_PASSWORD)) {
            Connection c = tracker.track(provider.open(URI.create("postgresql://tck:" + SECRET + "@127.0.0.1:"
                    + peer.port() + "/tck?sslmode=disable"), Options.empty()));
            assertThatUnplugThrownBy(c::connect).hasKind(ErrorKind.AUTHENTICATION_FAILED).messageContains("28P01")
                    .messageContains("password authentication failed").messageDoesNotContain(SECRET);
            assertThat(c.state()).isEqualTo(ConnectionState.DISCONNECTED);
            assertThat(c.toString()).doesNotContain(SECRET);
        }
    }

    @Test
    void garbageInPlaceOfTheStartupReplyIsAMalformedReplyAndLeavesNoSocket(ConnectionTracker tracker) {
        int before = ProcessResources.canCountFileDescriptors() ? ProcessResources.openSockets() : 0;
        try (FakePostgres peer = new FakePostgres(PeerBehaviour.NORMAL, FakePostgres.Trouble.GARBAGE_STARTUP)) {
            Connection c = tracker.track(provider.open(peer.uri(), Options.empty()));
            assertThatUnplugThrownBy(c::connect).hasKind(ErrorKind.MALFORMED_REPLY).messageContains("SQLSTATE 08P01");
            assertThat(c.state()).isEqualTo(ConnectionState.DISCONNECTED);
        }
        if (ProcessResources.canCountFileDescriptors()) {
            assertThat(ProcessResources.awaitCondition(() -> ProcessResources.openSockets() <= before,
                    java.time.Duration.ofSeconds(5))).as("sockets left").isTrue();
        }
    }

    @Test
    void onlyPgjdbcConnectionsAreAdoptedAnythingElseIsNotThisPluginsToTake() {
        assertThat(provider.adopt(new Object(), Options.empty())).isNull();
        assertThat(provider.adopt("postgresql://h/db", Options.empty())).isNull();
    }
}
