/**
 * The SMTP plugin of Unplug: {@code smtp} and {@code smtps} connections on Apache Commons Net, with
 * {@link dev.unplug.api.mail.SmtpSession} to send mail and a graceful disconnect that sends {@code QUIT} (expects 221).
 */
module dev.unplug.smtp {
    requires transitive dev.unplug.transport;
    requires static com.google.auto.service;

    exports dev.unplug.smtp;

    provides dev.unplug.spi.UnplugProvider with dev.unplug.smtp.SmtpProvider;
}
