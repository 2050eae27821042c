package dev.unplug.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ErrorKindTest {

    /** The codes the seeds and SEMANTICS.md name, with their original values, and the kind each must map to. */
    @ParameterizedTest(name = "{0} = {1} -> {2}")
    @CsvSource({
        "IXP_E_NOT_INIT, 800CCC0C, NOT_INITIALISED",
        "IXP_E_NOT_CONNECTED, 800CCC05, NOT_CONNECTED",
        "IXP_E_ALREADY_CONNECTED, 800CCC03, ALREADY_CONNECTED",
        "IXP_E_BUSY, 800CCC0B, BUSY",
        "IXP_E_INVALID_STATE, 800CCC08, INVALID_STATE",
        "IXP_E_CONN, 800CCC04, SOCKET_ERROR",
        "IXP_E_CONN_SEND, 800CCC06, SOCKET_ERROR",
        "IXP_E_CONN_RECV, 800CCC09, SOCKET_ERROR",
        "IXP_E_CANT_FIND_HOST, 800CCC0D, HOST_NOT_FOUND",
        "IXP_E_FAILED_TO_CONNECT, 800CCC0E, CONNECT_FAILED",
        "IXP_E_CONNECTION_DROPPED, 800CCC0F, CONNECTION_DROPPED",
        "IXP_E_SOCKET_READ_ERROR, 800CCC12, SOCKET_ERROR",
        "IXP_E_SOCKET_WRITE_ERROR, 800CCC13, SOCKET_ERROR",
        "IXP_E_USER_CANCEL, 800CCC17, ABORTED",
        "IXP_E_TIMEOUT, 800CCC19, TIMEOUT",
        "IXP_E_SECURE_CONNECT_FAILED, 800CCC1A, SECURE_CONNECT_FAILED",
        "E_ABORT, 80004004, ABORTED",
        "E_FAIL, 80004005, FAILED",
        "E_INVALIDARG, 80070057, INVALID_ARGUMENT",
        "E_NOINTERFACE, 80004002, NOT_SUPPORTED",
        "E_NOTIMPL, 80004001, NOT_IMPLEMENTED",
        "E_OUTOFMEMORY, 8007000E, OUT_OF_RESOURCES",
        "E_POINTER, 80004003, NULL_ARGUMENT",
        "E_UNEXPECTED, 8000FFFF, UNEXPECTED",
    })
    void seedCodesAreFoundByNameAndByValue(String name, String hex, ErrorKind kind) {
        int value = Integer.parseUnsignedInt(hex, 16);
        assertThat(ErrorKind.fromCode(name)).contains(kind);
        assertThat(ErrorKind.fromCode(name.toLowerCase(Locale.ROOT))).as("case-insensitive").contains(kind);
        assertThat(ErrorKind.fromValue(value)).contains(kind);
        assertThat(codesOf(kind)).contains(new ErrorKind.Code(name, value));
    }

    /** The capture device's codes: NMERR_* names, as HRESULTs 0x8004xxxx (NMERR_TO_HRESULT). */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "NMERR_CAPTURING, CAPTURING",
        "NMERR_NOT_CAPTURING, NOT_CAPTURING",
        "NMERR_CAPTURE_PAUSED, CAPTURE_PAUSED",
        "NMERR_CAPTURE_NOT_PAUSED, CAPTURE_NOT_PAUSED",
        "NMERR_NOT_ESP, WRONG_MODE",
        "NMERR_NOT_CONNECTED, NOT_CONNECTED",
        "NMERR_ALREADY_CONNECTED, ALREADY_CONNECTED",
        "NMERR_TIMEOUT, TIMEOUT",
    })
    void captureCodesAreFoundByNameAndByTheirHresult(String name, ErrorKind kind) {
        assertThat(ErrorKind.fromCode(name)).contains(kind);
        ErrorKind.Code code = codesOf(kind).stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
        assertThat(code.value() & 0xFFFF0000).as("%s as an HRESULT", name).isEqualTo(0x80040000);
        assertThat(ErrorKind.fromValue(code.value())).contains(kind);
    }

    @Test
    void everyCodeNameAndValueIsUnique() {
        List<ErrorKind.Code> all = new ArrayList<>();
        for (ErrorKind k : ErrorKind.values()) {
            all.addAll(codesOf(k));
        }
        Set<String> names = new HashSet<>();
        Set<Integer> values = new HashSet<>();
        for (ErrorKind.Code c : all) {
            assertThat(names.add(c.name().toUpperCase(Locale.ROOT))).as("name %s unique", c.name()).isTrue();
            assertThat(values.add(c.value())).as("value %s unique", c).isTrue();
        }
    }

    @Test
    void everyKindRoundTripsThroughItsCodes() {
        for (ErrorKind k : ErrorKind.values()) {
            for (ErrorKind.Code c : codesOf(k)) {
                assertThat(ErrorKind.fromCode(c.name())).contains(k);
                assertThat(ErrorKind.fromValue(c.value())).contains(k);
            }
        }
    }

    @Test
    void unknownOrNullCodesFindNothing() {
        assertThat(ErrorKind.fromCode(null)).isEmpty();
        assertThat(ErrorKind.fromCode("E_NOT_A_CODE")).isEmpty();
        assertThat(ErrorKind.fromCode("")).isEmpty();
        assertThat(ErrorKind.fromValue(0)).isEmpty();
    }

    @Test
    void codeToStringShowsNameAndHexValue() {
        assertThat(ErrorKind.NOT_INITIALISED.code()).hasToString("IXP_E_NOT_INIT (0x800CCC0C)");
        assertThat(ErrorKind.INVALID_ARGUMENT.code()).hasToString("E_INVALIDARG (0x80070057)");
    }

    private static List<ErrorKind.Code> codesOf(ErrorKind k) {
        List<ErrorKind.Code> codes = new ArrayList<>();
        codes.add(k.code());
        codes.addAll(k.aliases());
        return codes;
    }
}
