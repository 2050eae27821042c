package dev.unplug.bench;

import dev.unplug.testkit.peer.ManyConnectionsPeer;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Loopback POP3-style peers in their own process, so that a bench of 10,000 connections does not put 20,000
 * sockets in one process (the open-files limit is per process): one peer answers {@code QUIT} with {@code +OK},
 * one never answers it. Prints {@code PEERS <answeringPort> <silentPort>} on standard output, then serves until its
 * standard input ends (the bench closes it, or dies), and exits.
 */
public final class PeerProcess {

    private PeerProcess() {
    }

    /** Starts the peers; see the class comment. */
    public static void main(String[] args) throws IOException {
        try (ManyConnectionsPeer answering = ManyConnectionsPeer.builder().greeting("+OK ready").goodbye("QUIT")
                .answerGoodbye("+OK bye").backlog(16_384).start();
                ManyConnectionsPeer silent = ManyConnectionsPeer.builder().greeting("+OK ready").goodbye("QUIT")
                        .backlog(16_384).start()) {
            PrintStream out = new PrintStream(System.out, true, StandardCharsets.US_ASCII);
            out.println("PEERS " + answering.port() + " " + silent.port());
            InputStream in = System.in;
            while (in.read() >= 0) {
                // a line from the bench means nothing; the end of the stream means stop
            }
        }
    }
}
