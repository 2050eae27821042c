package dev.unplug.wds;

import static dev.unplug.testkit.UnplugAssertions.assertThatUnplugThrownBy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.unplug.api.ErrorKind;
import dev.unplug.api.session.DisconnectType;
import dev.unplug.api.session.LeaveReason;
import dev.unplug.api.session.TransferResult;
import dev.unplug.api.session.TransportSessionClient;
import dev.unplug.testkit.ProcessResources;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Multicast sessions on lo: identical files through loss, fallback to unicast, abort. */
class WdsTransferTest {

    private static final Duration LONG = Duration.ofSeconds(60);

    @TempDir
    Path work;

    @ParameterizedTest(name = "{0} % of datagrams lost on receive")
    @ValueSource(ints = {5, 20})
    void everyClientEndsWithTheSourceBytesThroughInducedLossAndParityRepairSendsAboutTheWorstLossNotTheUnion(
            int lossPercent)
            throws IOException {
        int clients = 4;
        try (WdsFixture f = new WdsFixture(work, 2 << 20, b -> b.rate(32L << 20))) {
            List<WdsConnection> all = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                WdsConnection c = f.client("c" + i);
                c.dropOnReceive(lossPercent / 100.0, 17L * i + lossPercent);
                all.add(c);
            }
            all.forEach(WdsConnection::connect);
            for (int i = 0; i < clients; i++) {
                f.assertComplete(all.get(i).awaitResult(LONG), "c" + i);
            }
            double perClient = (double) f.server.bytesMulticast() / (2L << 20) / clients;
            System.out.printf("wds: %d %% loss, %d clients: server multicast %.2f copies in all, %.2f per client,"
                    + " %d blocks repaired%n", lossPercent, clients, perClient * clients, perClient,
                    f.server.blocksRepaired());
            assertThat(perClient).as("copies multicast per client").isLessThan(0.75);
            // parity repair costs about the worst client's loss per group, where resending what anyone lacked would
            // cost the union of the four clients' losses (18.5 % of the blocks at 5 %, 59 % at 20 %) in the first
            // repair pass alone
            assertThat(perClient * clients).as("copies multicast in all").isLessThan(lossPercent == 5 ? 1.2 : 1.65);
            assertThat(f.server.bytesUnicast()).isZero();
        }
    }

    @Test
    void aClientThatLosesMostDatagramsIsFallenBackByTheServerInsteadOfMakingItResendTheFileToEveryone()
            throws Exception {
        try (WdsFixture f = new WdsFixture(work, 2 << 20, b -> b.rate(32L << 20))) {
            WdsConnection good = f.client("good");
            WdsConnection lossy = f.client("lossy");
            lossy.dropOnReceive(0.9, 3);
            good.connect();
            lossy.connect();
            f.assertComplete(good.awaitResult(LONG), "good");
            TransferResult r = lossy.awaitResult(LONG);
            f.assertComplete(r, "lossy");
            assertThat(r.blocksOverUnicast()).as("what it lacked came by unicast").isPositive()
                    .isEqualTo(r.blocksMissingAtFallback());
            assertThat(f.server.slowClientsFallenBack()).isEqualTo(1);
            assertThat(f.server.client(lossy.clientId()).leftBecause()).contains(LeaveReason.FALLBACK);
            double copies = (double) f.server.bytesMulticast() / (2 << 20);
            System.out.printf("wds slow client: 90 %% loss, fallen back with %d of %d blocks missing; the server"
                    + " multicast %.2f copies in all%n", r.blocksMissingAtFallback(), (2 << 20) / 1400 + 1, copies);
            assertThat(copies).as("copies multicast: the lossy client's misses were not resent to everyone")
                    .isLessThan(1.5);
        }
    }

    @Test
    void aClientFallenBackMidTransferCompletesOverUnicastWithOnlyTheBlocksItLacked() throws Exception {
        try (WdsFixture f = new WdsFixture(work, 1 << 20, b -> b.rate(512 << 10))) {
            WdsConnection stays = f.client("stays");
            WdsConnection falls = f.client("falls");
            stays.connect();
            falls.connect();
            assertThat(ProcessResources.awaitCondition(() -> falls.progress().percent() >= 25, LONG)).isTrue();
            f.server.disconnect(falls.clientId(), DisconnectType.FALLBACK);

            TransferResult fell = falls.awaitResult(LONG);
            f.assertComplete(fell, "falls");
            int blocks = (int) ((1 << 20) + 1399) / 1400;
            assertThat(fell.blocksMissingAtFallback()).as("blocks missing at the fallback").isBetween(1, blocks - 1);
            assertThat(fell.blocksOverUnicast()).as("blocks carried by unicast")
                    .isEqualTo(fell.blocksMissingAtFallback());
            assertThat(f.server.blocksUnicast()).isEqualTo(fell.blocksMissingAtFallback());
            assertThat(fell.bytesOverMulticast() + fell.bytesOverUnicast()).isEqualTo(1 << 20);
            System.out.printf("wds fallback: %d of %d blocks missing at the fallback, %d fetched by unicast%n",
                    fell.blocksMissingAtFallback(), blocks, fell.blocksOverUnicast());
            assertThat(f.server.client(falls.clientId()).leftBecause()).contains(LeaveReason.FALLBACK);
            f.assertComplete(stays.awaitResult(LONG), "stays");
        }
    }

    @Test
    void anAbortedClientKeepsNoFileIsNoLongerListedAndDoesNotRejoin() throws Exception {
        try (WdsFixture f = new WdsFixture(work, 1 << 20, b -> b.rate(512 << 10))) {
            WdsConnection stays = f.client("stays");
            WdsConnection aborted = f.client("aborted");
            stays.connect();
            aborted.connect();
            assertThat(ProcessResources.awaitCondition(() -> aborted.progress().percent() >= 10, LONG)).isTrue();
            f.server.disconnect(aborted.clientId(), DisconnectType.ABORT);

            TransferResult r = aborted.awaitResult(LONG);
            assertThat(r.status()).isEqualTo(TransferResult.Status.ABORTED);
            assertThat(r.error().orElseThrow().kind()).isEqualTo(ErrorKind.ABORTED);
            assertThat(r.file()).isEmpty();
            assertThat(f.filesOf("aborted")).as("no file, complete-looking or partial").isEmpty();
            assertThat(f.server.clients()).extracting(TransportSessionClient::id).containsExactly(stays.clientId());
            assertThat(f.server.client(aborted.clientId()).leftBecause()).contains(LeaveReason.ABORTED);

            f.assertComplete(stays.awaitResult(LONG), "stays");
            assertThat(f.filesOf("aborted")).as("still nothing once the session is over").isEmpty();
            assertThatUnplugThrownBy(() -> f.server.client(Math.max(stays.clientId(), aborted.clientId()) + 1)).hasKind(ErrorKind.INVALID_ARGUMENT);
            assertThat(aborted.disconnect()).as("nothing left to say").extracting(o -> o.kind())
                    .isEqualTo(dev.unplug.api.DisconnectOutcome.Kind.CLEAN);
        }
    }

    @Test
    void anUnknownTypeIsAnInvalidArgumentAndChangesNothing() throws Exception {
        try (WdsFixture f = new WdsFixture(work, 256 << 10, b -> b.rate(256 << 10))) {
            WdsConnection c = f.client("c");
            c.connect();
            assertThat(ProcessResources.awaitCondition(() -> f.server.clients().size() == 1, LONG)).isTrue();
            assertThatUnplugThrownBy(() -> f.server.disconnect(c.clientId(), DisconnectType.UNKNOWN))
                    .hasKind(ErrorKind.INVALID_ARGUMENT).messageContains("nothing was changed");
            assertThatUnplugThrownBy(() -> f.server.disconnect(c.clientId(), DisconnectType.fromValue(7)))
                    .hasKind(ErrorKind.INVALID_ARGUMENT);
            assertThatUnplugThrownBy(() -> f.server.disconnect(c.clientId(), null)).hasKind(ErrorKind.NULL_ARGUMENT);
            assertThatUnplugThrownBy(() -> f.server.disconnect(424242, DisconnectType.ABORT))
                    .hasKind(ErrorKind.INVALID_ARGUMENT).messageContains("no client 424242");
            assertThat(f.server.clients()).extracting(TransportSessionClient::id).containsExactly(c.clientId());
            f.assertComplete(c.awaitResult(LONG), "c");
            assertThat(ProcessResources.awaitCondition(() -> f.server.clients().isEmpty(), LONG)).isTrue();
            assertThatUnplugThrownBy(() -> f.server.disconnect(c.clientId(), DisconnectType.ABORT))
                    .hasKind(ErrorKind.NOT_CONNECTED).messageContains("already left");
            assertThat(f.server.client(c.clientId()).leftBecause()).contains(LeaveReason.COMPLETE);
        }
    }

    @Test
    void aKickNamingSeveralClientsReachesEachWithItsReasonAndABadOneChangesNothing() throws Exception {
        try (WdsFixture f = new WdsFixture(work, 1 << 20, b -> b.rate(512 << 10))) {
            WdsConnection a = f.client("a");
            WdsConnection b = f.client("b");
            a.connect();
            b.connect();
            assertThat(ProcessResources.awaitCondition(() -> f.server.clients().size() == 2, LONG)).isTrue();
            assertThatUnplugThrownBy(() -> f.server.kick(List.of(a.clientId(), 999L), DisconnectType.ABORT, "x"))
                    .hasKind(ErrorKind.INVALID_ARGUMENT).messageContains("no client 999");
            assertThatUnplugThrownBy(() -> f.server.kick(List.of(a.clientId()), DisconnectType.UNKNOWN, "x"))
                    .hasKind(ErrorKind.INVALID_ARGUMENT);
            assertThat(f.server.clients()).hasSize(2);
            f.server.kick(List.of(a.clientId(), b.clientId()), DisconnectType.ABORT, "maintenance window");
            for (WdsConnection c : List.of(a, b)) {
                TransferResult r = c.awaitResult(LONG);
                assertThat(r.status()).isEqualTo(TransferResult.Status.ABORTED);
                assertThat(r.error().orElseThrow()).hasMessageContaining("maintenance window");
            }
            assertThatUnplugThrownBy(() -> f.server.kick(List.of(a.clientId()), DisconnectType.ABORT, "again"))
                    .hasKind(ErrorKind.NOT_CONNECTED);
        }
    }

    @Test
    void theServerShowsEachClientAsTheOriginalListsIt() throws Exception {
        try (WdsFixture f = new WdsFixture(work, 1 << 20, b -> b.rate(512 << 10))) {
            WdsConnection c = f.client("desk-7");
            c.connect();
            assertThat(ProcessResources.awaitCondition(() -> !f.server.clients().isEmpty()
                    && f.server.clients().get(0).percentComplete() >= 20, LONG)).isTrue();
            TransportSessionClient seen = f.server.clients().get(0);
            assertThat(seen.id()).isEqualTo(c.clientId());
            assertThat(seen.name()).isEqualTo("desk-7");
            assertThat(seen.address().isLoopbackAddress()).isTrue();
            assertThat(seen.macAddress()).as("loopback has no hardware address").isEmpty();
            assertThat(seen.bytesReceived()).isPositive();
            assertThat(seen.receiveBytesPerSecond()).isPositive();
            assertThat(seen.joinedFor()).isPositive();
            assertThat(seen.leftBecause()).isEmpty();
            assertThat(seen.toString()).contains("desk-7");
            List<Integer> seenPercent = new ArrayList<>();
            c.onProgress(p -> seenPercent.add(p.percent()));
            f.assertComplete(c.awaitResult(LONG), "desk-7");
            assertThat(seenPercent).as("progress events").isNotEmpty().isSorted().endsWith(100);
        }
    }
}
