/**
 * Micrometer metrics for an Unplug plugin host: {@link dev.unplug.micrometer.UnplugMetrics}, a
 * {@code MeterBinder}.
 */
module dev.unplug.micrometer {
    requires transitive dev.unplug.core;
    requires transitive micrometer.core;

    exports dev.unplug.micrometer;
}
