package io.streamanalytics.consumer.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DatabaseTest {

    @Test
    void shouldStoreEveryCommitOfAnH2FileDatabaseInTheCommittingThreadUnlessTheUrlSaysOtherwise() {
        assertThat(Database.jdbcUrl("jdbc:h2:file:./data/results;DB_CLOSE_ON_EXIT=FALSE"))
                .isEqualTo("jdbc:h2:file:./data/results;DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0");
        assertThat(Database.jdbcUrl("jdbc:h2:file:/db/r;write_delay=200"))
                .isEqualTo("jdbc:h2:file:/db/r;write_delay=200");
        assertThat(Database.jdbcUrl("jdbc:h2:mem:r;DB_CLOSE_DELAY=-1")).isEqualTo("jdbc:h2:mem:r;DB_CLOSE_DELAY=-1");
        assertThat(Database.jdbcUrl("jdbc:postgresql://db:5432/results"))
                .isEqualTo("jdbc:postgresql://db:5432/results");
    }
}
