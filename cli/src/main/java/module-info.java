/**
 * The {@code unplug} command line tool. Exports nothing: run it as {@code java -jar unplug.jar}; its only public
 * type is {@code dev.unplug.cli.Main}.
 */
module dev.unplug.cli {
    requires dev.unplug.core;
    requires java.logging;
    requires java.sql; // the demo's PostgreSQL step works through the plugin's JDBC view
    requires info.picocli;
    requires jakarta.json;
    requires dev.unplug.smtp;
    requires dev.unplug.pop3;
    requires dev.unplug.imap;
    requires dev.unplug.nntp;
    requires dev.unplug.wds;
    requires dev.unplug.netcon;
    requires dev.unplug.testkit;
    requires greenmail;
    requires jakarta.mail;
}
