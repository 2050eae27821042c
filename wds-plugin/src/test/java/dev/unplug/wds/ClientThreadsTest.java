package dev.unplug.wds;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ClientThreadsTest {

    @Test
    void aLoopRunsOnAThreadAnEarlierLoopLeftIdleWithoutItsInterruptAndJoinWaitsForItsReturn() throws Exception {
        List<Thread> ran = new ArrayList<>();
        List<Boolean> interruptedAtStart = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            CountDownLatch go = new CountDownLatch(1);
            ClientThreads.Job job = ClientThreads.start(() -> {
                ran.add(Thread.currentThread());
                interruptedAtStart.add(Thread.currentThread().isInterrupted());
                try {
                    go.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                Thread.currentThread().interrupt(); // kept for a caller, as a loop may: never for the next loop
            }, "unplug-wds-client-receive-test-" + i);
            assertThat(job.isAlive()).isTrue();
            assertThat(job.isCurrent()).isFalse();
            go.countDown();
            job.join(5_000);
            assertThat(job.isAlive()).as("loop %d returned", i).isFalse();
        }
        assertThat(ran).hasSize(5);
        assertThat(ran).as("the same thread, kept between loops and idle again when join returns").containsOnly(
                ran.get(0));
        assertThat(interruptedAtStart).containsOnly(false);
        assertThat(ran.get(0).getName()).isEqualTo("unplug-wds-client-idle");
        assertThat(ran.get(0).isDaemon()).isTrue();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (ran.get(0).getState() == Thread.State.RUNNABLE && System.nanoTime() < until) {
            Thread.sleep(1);
        }
        assertThat(ran.get(0).getState()).as("an idle thread waits parked").isEqualTo(Thread.State.TIMED_WAITING);
    }

    @Test
    void loopsRunningTogetherEachGetAThreadOfTheirOwnAndAJobJoinedFromItsOwnLoopDoesNotWait() throws Exception {
        CountDownLatch both = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        List<Thread> ran = java.util.Collections.synchronizedList(new ArrayList<>());
        ClientThreads.Job[] self = new ClientThreads.Job[1];
        CountDownLatch selfJoined = new CountDownLatch(1);
        Runnable body = () -> {
            ran.add(Thread.currentThread());
            both.countDown();
            try {
                release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        ClientThreads.Job a = ClientThreads.start(body, "unplug-wds-client-receive-a");
        self[0] = ClientThreads.start(() -> {
            body.run();
            try {
                self[0].join(10_000); // returns at once: a loop never waits for itself
                selfJoined.countDown();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "unplug-wds-client-control-b");
        assertThat(both.await(5, TimeUnit.SECONDS)).as("both loops run at once").isTrue();
        assertThat(ran).doesNotHaveDuplicates();
        release.countDown();
        assertThat(selfJoined.await(2, TimeUnit.SECONDS)).isTrue();
        a.join(5_000);
        self[0].join(5_000);
        assertThat(a.isAlive() || self[0].isAlive()).isFalse();
    }
}
