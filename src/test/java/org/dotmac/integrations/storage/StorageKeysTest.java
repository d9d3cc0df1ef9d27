package org.dotmac.integrations.storage;

import org.dotmac.integrations.core.ProblemException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** What an object key and a listing prefix may be, and how a key in a path is decoded. */
class StorageKeysTest {

    private static String refusal(Runnable check) {
        ProblemException e = catchThrowableOfType(ProblemException.class, check::run);
        assertThat(e).as("refused").isNotNull();
        assertThat(e.status()).isEqualTo(400);
        return e.errors().getFirst().field() + ": " + e.errors().getFirst().message();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "reports/2026/q4.pdf", "a/..b/c", "a/.b", "...", "with space/and+plus", "\u00e9t\u00e9/\u4e2d.txt"})
    void keysOfAnyTextWithProperSegmentsAreKept(String key) {
        assertThat(StorageKeys.check(key)).isEqualTo(key);
    }

    @Test
    void aKeyIsAtMost1024BytesOfUtf8() {
        assertThat(StorageKeys.check("k".repeat(1024))).hasSize(1024);
        assertThat(refusal(() -> StorageKeys.check("k".repeat(1025)))).isEqualTo("key: is longer than 1024 bytes of UTF-8");
        // bytes, not characters: 512 two-byte characters fit, one more byte does not
        assertThat(StorageKeys.check("\u00e9".repeat(512))).hasSize(512);
        assertThat(refusal(() -> StorageKeys.check("\u00e9".repeat(512) + "x"))).contains("1024 bytes");
    }

    @Test
    void segmentsThatWouldClimbOrCollapseAreRefused() {
        assertThat(refusal(() -> StorageKeys.check("a/../b"))).isEqualTo("key: has a '..' segment");
        assertThat(refusal(() -> StorageKeys.check(".."))).isEqualTo("key: has a '..' segment");
        assertThat(refusal(() -> StorageKeys.check("a/./b"))).isEqualTo("key: has a '.' segment");
        assertThat(refusal(() -> StorageKeys.check("a//b"))).isEqualTo("key: has an empty segment ('//' or a trailing '/')");
        assertThat(refusal(() -> StorageKeys.check("a/"))).contains("empty segment");
        assertThat(refusal(() -> StorageKeys.check("/etc/passwd"))).isEqualTo("key: must not start with '/' (an absolute path)");
    }

    @Test
    void emptyAndControlCharactersAreRefused() {
        assertThat(refusal(() -> StorageKeys.check(""))).startsWith("key: is empty");
        assertThat(refusal(() -> StorageKeys.check(null))).startsWith("key: is empty");
        for (char c : new char[] {'\u0000', '\u001f', '\u007f', '\u0080', '\u009f'}) {
            assertThat(refusal(() -> StorageKeys.check("a" + c))).isEqualTo("key: contains a control character");
        }
        assertThat(StorageKeys.check("a\u00a0 ~")).isEqualTo("a\u00a0 ~");
    }

    @Test
    void aPathIsPercentDecodedOnceAndAPlusStaysAPlus() {
        assertThat(StorageKeys.fromPath("a%2Fb/c%20d+e")).isEqualTo("a/b/c d+e");
        assertThat(StorageKeys.fromPath("%25252F")).isEqualTo("%252F");
        assertThat(StorageKeys.fromPath("%C3%A9t%C3%A9")).isEqualTo("\u00e9t\u00e9");
        assertThat(StorageKeys.fromPath("%c3%a9")).isEqualTo("\u00e9");
        assertThat(StorageKeys.fromPath("\u00e9")).isEqualTo("\u00e9");
    }

    @Test
    void anEncodedClimbIsRefusedAfterDecoding() {
        assertThat(refusal(() -> StorageKeys.fromPath("a/%2E%2E/b"))).isEqualTo("key: has a '..' segment");
        assertThat(refusal(() -> StorageKeys.fromPath("%2Fetc"))).contains("absolute path");
        assertThat(refusal(() -> StorageKeys.fromPath("a%00b"))).contains("control character");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a%", "a%2", "a%zz", "a%2g", "%g0"})
    void aBrokenPercentEncodingIsRefused(String path) {
        assertThat(refusal(() -> StorageKeys.fromPath(path))).isEqualTo("key: has a broken percent-encoding");
    }

    @Test
    void bytesThatAreNotUtf8AreRefused() {
        assertThat(refusal(() -> StorageKeys.fromPath("%C3"))).isEqualTo("key: is not valid UTF-8");
        assertThat(refusal(() -> StorageKeys.fromPath("%FF%FE"))).isEqualTo("key: is not valid UTF-8");
    }

    @Test
    void aPrefixMayEndInAPartialSegment() {
        assertThat(StorageKeys.checkPrefix("a/..")).isEqualTo("a/..");
        assertThat(StorageKeys.checkPrefix("a/b/")).isEqualTo("a/b/");
        assertThat(StorageKeys.checkPrefix("rep")).isEqualTo("rep");
        assertThat(StorageKeys.checkPrefix(".")).isEqualTo(".");
        assertThat(StorageKeys.checkPrefix("")).isNull();
        assertThat(StorageKeys.checkPrefix(null)).isNull();
    }

    @Test
    void aPrefixNoKeyCouldBeginIsRefusedNamingPrefix() {
        assertThat(refusal(() -> StorageKeys.checkPrefix("/a"))).isEqualTo("prefix: cannot begin any key: must not start with '/' (an absolute path)");
        assertThat(refusal(() -> StorageKeys.checkPrefix("/"))).contains("absolute path");
        assertThat(refusal(() -> StorageKeys.checkPrefix("../x"))).isEqualTo("prefix: cannot begin any key: has a '..' segment");
        assertThat(refusal(() -> StorageKeys.checkPrefix("a//"))).contains("empty segment");
        for (char c : new char[] {'\u0001', '\u001f', '\u007f', '\u0080', '\u009f'}) {
            assertThat(refusal(() -> StorageKeys.checkPrefix("a" + c))).isEqualTo("prefix: cannot begin any key: contains a control character");
        }
        assertThat(StorageKeys.checkPrefix("my file~\u00a0")).isEqualTo("my file~\u00a0");
        assertThat(StorageKeys.checkPrefix("p".repeat(1024))).hasSize(1024);
        assertThat(refusal(() -> StorageKeys.checkPrefix("p".repeat(1025)))).isEqualTo("prefix: cannot begin any key: is longer than 1024 bytes of UTF-8");
    }
}
