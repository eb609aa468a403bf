package dev.vigil;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.vigil.testing.OfficialSarifSchema;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code vigil check --format sarif} validates against the official SARIF 2.1.0 schema. */
class SarifOfficialSchemaIT {

    @Test
    void checkReportValidatesAgainstTheOfficialSarifSchema() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CheckCommand c = new CheckCommand();
        c.files =
                List.of(
                        "docs/examples/zone-misconfigured.json",
                        "src/test/resources/checks-fixtures/_baseline/account.json");
        c.report.format = "sarif";
        assertThat(c.run(new PrintStream(out, true, StandardCharsets.UTF_8), System.err)).isZero();
        String sarif = out.toString(StandardCharsets.UTF_8);
        assertThat(sarif).contains("dns.cname_record_dangling");

        List<Error> errors;
        try (InputStream in = Files.newInputStream(OfficialSarifSchema.path())) {
            Schema schema =
                    SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4).getSchema(in);
            errors = schema.validate(sarif, InputFormat.JSON);
            assertThat(
                            schema.validate(
                                    "{\"version\": \"2.1.0\", \"runs\": [{\"tool\": {}}]}",
                                    InputFormat.JSON))
                    .as("the schema really checks: a run's tool needs a driver")
                    .isNotEmpty();
        }
        assertThat(errors).as("SARIF 2.1.0 schema violations").isEmpty();
    }
}
