package dev.unplug.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.unplug.api.ErrorKind;
import dev.unplug.api.UnplugException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ApiVersionTest {

    @Test
    void majorIsTheFirstNumber() {
        assertThat(ApiVersion.major("1.0")).isEqualTo(1);
        assertThat(ApiVersion.major(" 2.7.1 ")).isEqualTo(2);
        assertThat(ApiVersion.major("3")).isEqualTo(3);
        assertThat(ApiVersion.major(ApiVersion.CURRENT)).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "x.1", "-1.0", ".1", "v1.0"})
    void malformedVersionsAreInvalidArguments(String v) {
        UnplugException e = catchThrowableOfType(() -> ApiVersion.major(v), UnplugException.class);
        assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT);
        assertThat(e.getMessage()).contains("'" + v + "'");
    }

    @Test
    void nullVersionIsANullArgument() {
        assertThat(catchThrowableOfType(() -> ApiVersion.major(null), UnplugException.class).kind())
                .isEqualTo(ErrorKind.NULL_ARGUMENT);
    }

    @Test
    void compatibilityIsTheSameMajorVersion() {
        assertThat(ApiVersion.isCompatible(ApiVersion.CURRENT)).isTrue();
        assertThat(ApiVersion.isCompatible("1.9")).isTrue();
        assertThat(ApiVersion.isCompatible("2.0")).isFalse();
        assertThat(ApiVersion.isCompatible("0.9")).isFalse();
        assertThat(ApiVersion.isCompatible("garbage")).isFalse();
        assertThat(ApiVersion.isCompatible(null)).isFalse();
    }
}
