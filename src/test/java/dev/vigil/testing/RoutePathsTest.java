package dev.vigil.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RoutePathsTest {

    @Test
    void aWalksOwnValuesAndTheDefaultsFillEveryParameterAndTheLeadingSlashGoes() {
        RoutePaths paths = RoutePaths.of(Map.of("account_id", "acc1", "version", "v9"));

        assertThat(paths.fill("/v1/accounts/{account_id}/compliance/{framework}"))
                .isEqualTo("v1/accounts/acc1/compliance/cis_v8");
        assertThat(paths.fill("/v1/rule-sets/{version}/diff")).isEqualTo("v1/rule-sets/v9/diff");
        assertThat(paths.fill("/internal/v1/scans/{scan_id}"))
                .matches("internal/v1/scans/[0-9a-f-]{36}");
    }

    @Test
    void aParameterWithoutAValueFailsNamingTheRouteAndTheParameter() {
        RoutePaths paths = RoutePaths.of(Map.of("account_id", "acc1"));

        assertThatThrownBy(() -> paths.fill("/v1/accounts/{account_id}/widgets/{widget_id}"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("route /v1/accounts/{account_id}/widgets/{widget_id}")
                .hasMessageContaining("path parameter {widget_id}")
                .hasMessageContaining("RoutePaths.DEFAULTS");
    }
}
