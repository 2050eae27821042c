/**
 * The Unplug bench: {@link dev.unplug.bench.ShutdownBench} measures the plugin host's shutdown of many open
 * connections to the testkit's many-connections peer; {@link dev.unplug.bench.BenchProvider} is the minimal TCP
 * plugin it connects through. Exports nothing; the runnable jar {@code bench/target/unplug-bench.jar} runs on the
 * class path.
 */
module dev.unplug.bench {
    requires dev.unplug.core;
    requires dev.unplug.testkit;

    provides dev.unplug.spi.UnplugProvider with dev.unplug.bench.BenchProvider;
}
