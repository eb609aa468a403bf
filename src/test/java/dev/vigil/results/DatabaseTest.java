package dev.vigil.results;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DatabaseTest {

    @Test
    void multiHostUrlIsPinnedToThePrimary() {
        assertThat(Database.primaryOnly("jdbc:postgresql://a:5432,b:5432/vigil"))
                .isEqualTo(
                        "jdbc:postgresql://a:5432,b:5432/vigil?targetServerType=primary"
                                + "&hostRecheckSeconds=2");
        assertThat(Database.primaryOnly("jdbc:postgresql://a,b/vigil?ssl=true"))
                .isEqualTo(
                        "jdbc:postgresql://a,b/vigil?ssl=true&targetServerType=primary"
                                + "&hostRecheckSeconds=2");
    }

    @Test
    void settingsTheUrlGivesAreKept() {
        assertThat(
                        Database.primaryOnly(
                                "jdbc:postgresql://a,b/vigil?hostRecheckSeconds=30"
                                        + "&targetServerType=preferPrimary"))
                .isEqualTo(
                        "jdbc:postgresql://a,b/vigil?hostRecheckSeconds=30"
                                + "&targetServerType=preferPrimary");
    }

    @Test
    void singleHostUrlIsLeftAsIs() {
        assertThat(Database.primaryOnly("jdbc:postgresql://db:5432/vigil"))
                .isEqualTo("jdbc:postgresql://db:5432/vigil");
    }
}
