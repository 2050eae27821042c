/**
 * The POP3 plugin of Unplug: {@code pop3} and {@code pop3s} connections on Apache Commons Net, with
 * {@link dev.unplug.api.mail.Pop3Session} to list, retrieve and delete mail, and a graceful disconnect that sends
 * {@code QUIT} (expects {@code +OK}), which is where the server commits deletions. A drop sends nothing, so
 * deletions are not committed.
 */
module dev.unplug.pop3 {
    requires transitive dev.unplug.transport;
    requires static com.google.auto.service;

    exports dev.unplug.pop3;

    provides dev.unplug.spi.UnplugProvider with dev.unplug.pop3.Pop3Provider;
}
