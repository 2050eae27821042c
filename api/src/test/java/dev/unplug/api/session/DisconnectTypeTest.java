package dev.unplug.api.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.unplug.api.ErrorKind;
import dev.unplug.api.UnplugException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DisconnectTypeTest {

    @Test
    void originalValuesMapBothWays() {
        assertThat(DisconnectType.fromValue(0)).isEqualTo(DisconnectType.UNKNOWN);
        assertThat(DisconnectType.fromValue(1)).isEqualTo(DisconnectType.FALLBACK);
        assertThat(DisconnectType.fromValue(2)).isEqualTo(DisconnectType.ABORT);
        for (DisconnectType t : DisconnectType.values()) {
            assertThat(DisconnectType.fromValue(t.value())).isEqualTo(t);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 3, 42, Integer.MAX_VALUE, Integer.MIN_VALUE})
    void otherValuesAreInvalidArguments(int value) {
        UnplugException e = catchThrowableOfType(() -> DisconnectType.fromValue(value), UnplugException.class);
        assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT);
        assertThat(e.getMessage()).contains(String.valueOf(value));
    }
}
