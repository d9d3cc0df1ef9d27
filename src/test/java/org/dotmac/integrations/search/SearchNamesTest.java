package org.dotmac.integrations.search;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Index names, document ids and field names that every engine reads the same way. */
class SearchNamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"products", "a", "0", "logs-2026_12"})
    void lowercaseIndexNamesAreValid(String index) {
        assertThat(SearchNames.indexProblem(index)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Products", "-a", "_a", "+a", "a*", "a,b", "a/b", "a\\b", "a b", "_all", "a.b"})
    void indexNamesThatCouldNameAnotherIndexOrRouteAreNot(String index) {
        assertThat(SearchNames.indexProblem(index)).startsWith("must be 1 to 128 lowercase letters");
    }

    @Test
    void anIndexIsRequiredAndAtMost128Characters() {
        assertThat(SearchNames.indexProblem(null)).isEqualTo("is required");
        assertThat(SearchNames.indexProblem("")).isEqualTo("is required");
        assertThat(SearchNames.indexProblem("x".repeat(128))).isNull();
        assertThat(SearchNames.indexProblem("x".repeat(129))).startsWith("must be 1 to 128");
    }

    @Test
    void idsAreLettersDigitsDashAndUnderscoreNotStartingWithUnderscore() {
        assertThat(SearchNames.idProblem("Doc-1_a")).isNull();
        assertThat(SearchNames.idProblem("9")).isNull();
        assertThat(SearchNames.idProblem("i".repeat(511))).isNull();
        assertThat(SearchNames.idProblem("i".repeat(512))).startsWith("must be 1 to 511");
        for (String bad : new String[] {"_bulk", "-x", "a/b", "a b", "a.b", "", "\u00e9"}) {
            assertThat(SearchNames.idProblem(bad)).as(bad)
                    .isEqualTo("must be 1 to 511 letters, digits, '-' or '_', starting with a letter or digit");
        }
    }

    @Test
    void fieldNamesMayNestWithDotsButHoldNoOperator() {
        assertThat(SearchNames.isField("price")).isTrue();
        assertThat(SearchNames.isField("_geo")).isTrue();
        assertThat(SearchNames.isField("a.b-c_1")).isTrue();
        assertThat(SearchNames.isField("f".repeat(256))).isTrue();
        assertThat(SearchNames.isField("f".repeat(257))).isFalse();
        for (String bad : new String[] {"1price", "price = 1", "a OR b", "a'", "a\"", "", "-a", ".a"}) {
            assertThat(SearchNames.isField(bad)).as(bad).isFalse();
        }
    }
}
