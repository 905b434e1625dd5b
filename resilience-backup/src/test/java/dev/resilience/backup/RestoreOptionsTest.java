package dev.resilience.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RestoreOptionsTest {

    @Test
    void defaultsAddNoPgRestoreArguments() {
        assertThat(RestoreOptions.DEFAULTS.pgRestoreArguments()).isEmpty();
    }

    @Test
    void ownershipPrivilegesSchemasAndTablesBecomePgRestoreArguments() {
        RestoreOptions options = RestoreOptions.DEFAULTS.noOwner(true).noAcl(true).schemas(List.of("sales"))
                .tables(List.of("orders", "-x"));

        assertThat(options.pgRestoreArguments())
                .containsExactly("--no-owner", "--no-acl", "--schema=sales", "--table=orders", "--table=-x");
    }

    @Test
    void blankOrNullNamesAreRefusedNamingTheParameter() {
        assertThatThrownBy(() -> RestoreOptions.DEFAULTS.tables(List.of(" "))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tables");
        assertThatThrownBy(() -> RestoreOptions.DEFAULTS.schemas(Arrays.asList("a", null)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("schemas");
        assertThatThrownBy(() -> RestoreOptions.DEFAULTS.tables(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tables");
    }

    @Test
    void withMethodsReturnCopiesAndLeaveTheOriginalAlone() {
        RestoreOptions replacing = RestoreOptions.DEFAULTS.replaceExisting(true).dropReplaced(true);

        assertThat(replacing.replaceExisting()).isTrue();
        assertThat(replacing.dropReplaced()).isTrue();
        assertThat(RestoreOptions.DEFAULTS.replaceExisting()).isFalse();
        assertThat(replacing).isEqualTo(RestoreOptions.DEFAULTS.dropReplaced(true).replaceExisting(true));
    }
}
