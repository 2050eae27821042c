/**
 * The Unplug bench: {@link dev.unplug.bench.ShutdownBench} measures the plugin host's shutdown of many open
 * connections to the testkit's many-connections peer, through {@link dev.unplug.bench.BenchProvider}, a minimal
 * TCP plugin; {@link dev.unplug.bench.MassShutdownBench} the shutdown of 10,000 real POP3 connections, half of them
 * to a silent server, beside a Commons Net loop; {@link dev.unplug.bench.DropBench} the drop of a connection with
 * a thread blocked reading, beside a raw socket close. Exports nothing; the runnable jar
 * {@code bench/target/unplug-bench.jar} runs on the class path.
 */
module dev.unplug.bench {
    requires dev.unplug.core;
    requires dev.unplug.testkit;
    requires java.management;
    requires java.logging;
    requires dev.unplug.transport;

    provides dev.unplug.spi.UnplugProvider with dev.unplug.bench.BenchProvider;
}
