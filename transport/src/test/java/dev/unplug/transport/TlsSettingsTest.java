package dev.unplug.transport;

import dev.unplug.spi.TlsSettings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.unplug.api.ErrorKind;
import dev.unplug.api.Options;
import dev.unplug.api.UnplugException;
import dev.unplug.transport.fixture.GreenMailFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsSettingsTest {

    @TempDir
    Path dir;

    @Test
    void hostNamesAreVerifiedByDefault() {
        TlsSettings tls = TlsSettings.from(Options.empty(), true);
        assertThat(tls.verifyHostname()).isTrue();
        assertThat(tls.implicit()).isTrue();
        assertThat(tls.startTls()).isFalse();
        assertThat(tls.context()).isNotNull();
    }

    @Test
    void startTlsOnAnImplicitTlsSchemeIsAnInvalidArgument() {
        Options o = Options.builder().set(Options.STARTTLS, true).build();
        assertThatThrownBy(() -> TlsSettings.from(o, true)).isInstanceOfSatisfying(UnplugException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT));
        assertThat(TlsSettings.from(o, false).startTls()).isTrue();
    }

    @Test
    void aFlagThatIsNotTrueOrFalseIsAnInvalidArgument() {
        Options o = Options.builder().set(TlsSettings.VERIFY_HOSTNAME, "maybe").build();
        assertThatThrownBy(() -> TlsSettings.from(o, false)).isInstanceOfSatisfying(UnplugException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT));
    }

    @Test
    void aMissingTrustStoreIsAnInvalidArgumentNamingThePathWhenTheContextIsMade() {
        Path missing = dir.resolve("nowhere.p12");
        TlsSettings tls = TlsSettings.from(Options.builder().set(TlsSettings.TRUST_STORE, missing.toString())
                .build(), false);
        assertThatThrownBy(tls::context).isInstanceOfSatisfying(UnplugException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT);
            assertThat(e.getMessage()).contains("nowhere.p12");
        });
    }

    @Test
    void aWrongTrustStorePasswordIsAnInvalidArgumentThatDoesNotShowThePassword() {
        Path store = GreenMailFixture.trustStore(dir);
        String wrong = "Wr0ngPassw0rdValue";
        TlsSettings tls = TlsSettings.from(Options.builder().set(TlsSettings.TRUST_STORE, store.toString())
                .set(TlsSettings.TRUST_STORE_PASSWORD, wrong).build(), true);
        assertThat(tls.toString()).doesNotContain(wrong);
        assertThatThrownBy(tls::context).isInstanceOfSatisfying(UnplugException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT);
            assertThat(e.getMessage()).doesNotContain(wrong).contains(store.getFileName().toString());
        });
    }

    @Test
    void aGarbageTrustStoreIsAnInvalidArgument() throws Exception {
        Path junk = Files.writeString(dir.resolve("junk.jks"), "not a key store");
        TlsSettings tls = TlsSettings.from(Options.builder().set(TlsSettings.TRUST_STORE, junk.toString()).build(),
                false);
        assertThatThrownBy(tls::context).isInstanceOfSatisfying(UnplugException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT));
    }

    @Test
    void aTrustStoreIsReadOnceAndTheSameContextIsReused() {
        Path store = GreenMailFixture.trustStore(dir);
        TlsSettings tls = TlsSettings.from(GreenMailFixture.trusting(store, true), true);
        assertThat(tls.context()).isSameAs(tls.context());
    }
}
