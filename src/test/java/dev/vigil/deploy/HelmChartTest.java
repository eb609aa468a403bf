package dev.vigil.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import dev.vigil.Main;
import dev.vigil.config.KafkaConfig;
import dev.vigil.events.Lane;
import dev.vigil.events.Topics;
import dev.vigil.worker.Worker;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The Helm chart in deploy/helm/vigil, linted and rendered by Helm's own engine (helm-java), every
 * manifest parsed: the essentials of a safe deployment hold for every role.
 */
class HelmChartTest {

    private static final RenderedChart DEFAULTS = RenderedChart.render(Map.of());
    private static final List<String> ROLES =
            List.of("scheduler", "worker-fast", "worker-slow", "api");

    private static String lane(Lane l) {
        return "worker-" + l.wire();
    }

    @Test
    void chartLintsWithoutErrorsInStrictMode() {
        LintResult lint = new Helm(RenderedChart.CHART).lint().strict().call();
        assertThat(lint.isFailed()).as("lint: %s", lint.getMessages()).isFalse();
        assertThat(lint.getMessages()).noneMatch(m -> m.contains("[ERROR]"));
    }

    @Test
    void defaultsRenderOneDeploymentPerRoleAndEveryManifestHasKindAndName() {
        assertThat(DEFAULTS.manifests()).isNotEmpty();
        assertThat(DEFAULTS.manifests())
                .allSatisfy(
                        m -> {
                            assertThat(m.path("apiVersion").asString()).isNotBlank();
                            assertThat(m.path("kind").asString()).isNotBlank();
                            assertThat(m.path("metadata").path("name").asString()).isNotBlank();
                        });
        assertThat(names(DEFAULTS.ofKind("Deployment")))
                .containsExactlyInAnyOrderElementsOf(
                        ROLES.stream().map(RenderedChart::resource).toList());
    }

    @Test
    void everyDeploymentProbesLivezAndReadyzOnTheManagementPort() {
        for (JsonNode c : containers(DEFAULTS.ofKind("Deployment"))) {
            assertThat(c.path("livenessProbe").path("httpGet").path("path").asString())
                    .isEqualTo("/livez");
            assertThat(c.path("readinessProbe").path("httpGet").path("path").asString())
                    .isEqualTo("/readyz");
            assertThat(c.path("readinessProbe").path("httpGet").path("port").asString())
                    .isEqualTo("management");
            assertThat(portNames(c)).contains("management");
        }
    }

    @Test
    void everyPodRunsNonRootReadOnlyWithoutCapabilitiesOrEscalation() {
        List<JsonNode> workloads = DEFAULTS.ofKind("Deployment");
        assertThat(workloads).hasSize(ROLES.size());
        for (JsonNode d : workloads) {
            JsonNode pod = d.path("spec").path("template").path("spec");
            assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean()).isTrue();
            assertThat(pod.path("securityContext").path("runAsUser").asInt()).isPositive();
            assertThat(pod.path("securityContext").path("seccompProfile").path("type").asString())
                    .isEqualTo("RuntimeDefault");
            assertThat(pod.path("volumes").findValuesAsString("name")).contains("tmp");
            for (JsonNode c : pod.path("containers")) {
                JsonNode sc = c.path("securityContext");
                assertThat(sc.path("readOnlyRootFilesystem").asBoolean()).isTrue();
                assertThat(sc.path("allowPrivilegeEscalation").asBoolean(true)).isFalse();
                assertThat(sc.path("capabilities").path("drop").valueStream())
                        .extracting(JsonNode::asString)
                        .containsExactly("ALL");
                assertThat(c.path("volumeMounts").findValuesAsString("mountPath")).contains("/tmp");
            }
        }
    }

    @Test
    void everyContainerHasCpuAndMemoryRequestsAndAMemoryLimit() {
        for (JsonNode c : containers(DEFAULTS.ofKind("Deployment"))) {
            JsonNode r = c.path("resources");
            assertThat(r.path("requests").path("cpu").asString()).as(c.toString()).isNotBlank();
            assertThat(r.path("requests").path("memory").asString()).isNotBlank();
            assertThat(r.path("limits").path("memory").asString()).isNotBlank();
        }
    }

    @Test
    void twoSchedulersRunOneActiveOneStandby() {
        JsonNode scheduler =
                DEFAULTS.named("Deployment", RenderedChart.resource("scheduler")).orElseThrow();
        assertThat(scheduler.path("spec").path("replicas").asInt()).isEqualTo(2);
        assertThat(containers(List.of(scheduler)).getFirst().path("args").get(0).asString())
                .isEqualTo("scheduler");
    }

    @Test
    void everyRoleRunsACommandOfTheCli() {
        Set<String> commands = Main.commandLine().getSubcommands().keySet();
        for (JsonNode c : containers(DEFAULTS.ofKind("Deployment"))) {
            assertThat(commands).contains(c.path("args").get(0).asString());
        }
        for (Lane l : Lane.values()) {
            JsonNode worker =
                    containers(List.of(DEFAULTS.named("Deployment", resource(l)).orElseThrow()))
                            .getFirst();
            assertThat(worker.path("args").valueStream())
                    .extracting(JsonNode::asString)
                    .containsExactly("worker", "--lane", l.wire());
        }
    }

    @Test
    void scaledObjectsTargetEachLaneOnItsConsumerGroupAndTopic() {
        String topic = new Topics(KafkaConfig.TOPIC_PREFIX.defaultValue()).scanRequests();
        assertThat(DEFAULTS.ofKind("ScaledObject")).hasSize(Lane.values().length);
        for (Lane l : Lane.values()) {
            JsonNode so = DEFAULTS.named("ScaledObject", resource(l)).orElseThrow();
            JsonNode spec = so.path("spec");
            assertThat(spec.path("scaleTargetRef").path("name").asString()).isEqualTo(resource(l));
            assertThat(DEFAULTS.named("Deployment", resource(l))).isPresent();
            int min = spec.path("minReplicaCount").asInt();
            int max = spec.path("maxReplicaCount").asInt();
            assertThat(min).isPositive();
            assertThat(max).isGreaterThanOrEqualTo(min);
            JsonNode trigger = spec.path("triggers").get(0);
            assertThat(trigger.path("type").asString()).isEqualTo("kafka");
            JsonNode md = trigger.path("metadata");
            assertThat(md.path("consumerGroup").asString()).isEqualTo(Worker.groupId(l));
            assertThat(md.path("topic").asString()).isEqualTo(topic);
            assertThat(Integer.parseInt(md.path("lagThreshold").asString())).isPositive();
            assertThat(md.path("bootstrapServers").asString()).isNotBlank();
            // KEDA owns the replica count of a scaled Deployment.
            assertThat(
                            DEFAULTS.named("Deployment", resource(l))
                                    .orElseThrow()
                                    .path("spec")
                                    .has("replicas"))
                    .isFalse();
        }
    }

    @Test
    void everyRoleHasAPodDisruptionBudgetSelectingItsPods() {
        for (String role : ROLES) {
            JsonNode pdb =
                    DEFAULTS.named("PodDisruptionBudget", RenderedChart.resource(role))
                            .orElseThrow();
            JsonNode deployment =
                    DEFAULTS.named("Deployment", RenderedChart.resource(role)).orElseThrow();
            assertThat(pdb.path("spec").path("selector").path("matchLabels"))
                    .isEqualTo(deployment.path("spec").path("selector").path("matchLabels"));
            assertThat(
                            pdb.path("spec").has("minAvailable")
                                    || pdb.path("spec").has("maxUnavailable"))
                    .isTrue();
        }
    }

    @Test
    void workersGetNoDatabaseCredentialsButTheServiceToken() {
        for (Lane l : Lane.values()) {
            JsonNode worker =
                    containers(List.of(DEFAULTS.named("Deployment", resource(l)).orElseThrow()))
                            .getFirst();
            Set<String> env = envNames(worker);
            assertThat(env).noneMatch(n -> n.startsWith("VIGIL_DATABASE_"));
            assertThat(worker.path("env").findValuesAsString("name"))
                    .noneMatch(n -> n.contains("database"));
            assertThat(env).contains("VIGIL_SERVICE_TOKEN", "VIGIL_RESULTS_URL");
        }
        JsonNode scheduler =
                containers(
                                List.of(
                                        DEFAULTS.named(
                                                        "Deployment",
                                                        RenderedChart.resource("scheduler"))
                                                .orElseThrow()))
                        .getFirst();
        assertThat(envNames(scheduler)).contains("VIGIL_DATABASE_URL", "VIGIL_DATABASE_PASSWORD");
        assertThat(envNames(scheduler)).doesNotContain("VIGIL_SERVICE_TOKEN");
    }

    @Test
    void servicesExposeTheApiPortAndEveryManagementPort() {
        for (String role : ROLES) {
            JsonNode svc = DEFAULTS.named("Service", RenderedChart.resource(role)).orElseThrow();
            assertThat(svc.path("spec").path("ports").findValuesAsString("name"))
                    .contains("management");
        }
        assertThat(
                        DEFAULTS.named("Service", RenderedChart.resource("api"))
                                .orElseThrow()
                                .path("spec")
                                .path("ports")
                                .findValuesAsString("name"))
                .contains("http");
    }

    @Test
    void networkPoliciesCoverEveryRoleAndOnlyTheApiTakesTraffic() {
        for (String role : ROLES) {
            JsonNode np =
                    DEFAULTS.named("NetworkPolicy", RenderedChart.resource(role)).orElseThrow();
            JsonNode ingress = np.path("spec").path("ingress");
            Set<String> ports =
                    ingress.valueStream()
                            .flatMap(r -> r.path("ports").valueStream())
                            .map(p -> p.path("port").asString())
                            .collect(Collectors.toSet());
            assertThat(ports)
                    .isEqualTo(
                            role.equals("api")
                                    ? Set.of("management", "http")
                                    : Set.of("management"));
            assertThat(np.path("spec").path("policyTypes").valueStream())
                    .extracting(JsonNode::asString)
                    .contains("Ingress", "Egress");
        }
    }

    @Test
    void withoutHelmHooksTheMigrateAndTokenJobsAndSecretsRenderAsPlainResources() {
        assertThat(DEFAULTS.ofKind("Job")).as("hooks are not in the rendered manifest").isEmpty();
        RenderedChart plain = RenderedChart.render(Map.of("helmHooks", false));
        JsonNode migrate = plain.named("Job", RenderedChart.resource("migrate")).orElseThrow();
        JsonNode c = containers(List.of(migrate)).getFirst();
        assertThat(c.path("args").get(0).asString()).isEqualTo("migrate");
        assertThat(envNames(c)).contains("VIGIL_DATABASE_URL", "VIGIL_DATABASE_PASSWORD");
        JsonNode tokens = plain.named("Job", RenderedChart.resource("tokens")).orElseThrow();
        assertThat(envNames(containers(List.of(tokens)).getFirst()))
                .contains("SERVICE_TOKEN", "ADMIN_TOKEN", "PGPASSWORD");
        assertThat(names(plain.ofKind("Secret")))
                .containsExactlyInAnyOrder(
                        RenderedChart.resource("tokens"), RenderedChart.resource("database"));
        assertThat(plain.ofKind("Secret").getFirst().path("data").size()).isEqualTo(2);
    }

    @Test
    void customRulesShipInAConfigMapAndAJobPushesThemThroughTheApi() {
        assertThat(DEFAULTS.named("ConfigMap", RenderedChart.resource("rules"))).isEmpty();
        RenderedChart r =
                RenderedChart.render(
                        Map.of("helmHooks", false, "rules.files.house\\.yaml", "id: house.rule"));
        JsonNode files = r.named("ConfigMap", RenderedChart.resource("rules")).orElseThrow();
        assertThat(files.path("data").path("house.yaml").asString()).contains("id: house.rule");
        JsonNode job = r.named("Job", RenderedChart.resource("rules")).orElseThrow();
        JsonNode c = containers(List.of(job)).getFirst();
        assertThat(c.path("args").valueStream().map(JsonNode::asString))
                .containsExactly("rules", "push", "/rules", "--then", "shadow");
        assertThat(envNames(c)).contains("VIGIL_API_URL", "VIGIL_ADMIN_TOKEN");
        assertThat(c.path("env").valueStream())
                .filteredOn(e -> e.path("name").asString().equals("VIGIL_API_URL"))
                .extracting(e -> e.path("value").asString())
                .containsExactly("http://" + RenderedChart.resource("api") + ":8080/");
        assertThat(c.path("volumeMounts").valueStream().map(m -> m.path("mountPath").asString()))
                .contains("/rules");
        // the api takes the job's calls; the job may reach the api only
        JsonNode np = r.named("NetworkPolicy", RenderedChart.resource("rules")).orElseThrow();
        assertThat(np.path("spec").path("egress").toString())
                .contains("\"app.kubernetes.io/component\":\"api\"");
        JsonNode api = r.named("NetworkPolicy", RenderedChart.resource("api")).orElseThrow();
        assertThat(api.path("spec").path("ingress").toString())
                .contains("\"app.kubernetes.io/component\":\"rules\"");
    }

    @Test
    void existingSecretsReplaceTheChartsOwn() {
        RenderedChart r =
                RenderedChart.render(
                        Map.of(
                                "helmHooks", false,
                                "tokens.existingSecret", "ops-tokens",
                                "database.existingSecret", "pg-app"));
        assertThat(r.ofKind("Secret")).isEmpty();
        assertThat(r.yaml()).contains("name: ops-tokens", "name: pg-app");
    }

    @Test
    void strimziTopicsAndServiceMonitorAreOptional() {
        assertThat(DEFAULTS.ofKind("KafkaTopic")).isEmpty();
        assertThat(DEFAULTS.ofKind("ServiceMonitor")).isEmpty();
        RenderedChart r =
                RenderedChart.render(
                        Map.of("strimzi.enabled", true, "serviceMonitor.enabled", true));
        Topics topics = new Topics(KafkaConfig.TOPIC_PREFIX.defaultValue());
        List<JsonNode> kafkaTopics = r.ofKind("KafkaTopic");
        assertThat(kafkaTopics.stream().map(t -> t.path("spec").path("topicName").asString()))
                .containsExactlyInAnyOrder(
                        topics.scanRequests(),
                        topics.deadLetters(),
                        topics.configChanges(),
                        topics.insightEvents());
        assertThat(kafkaTopics)
                .allSatisfy(
                        t -> {
                            assertThat(t.path("spec").path("partitions").asInt()).isEqualTo(30);
                            assertThat(t.path("metadata").path("labels").has("strimzi.io/cluster"))
                                    .isTrue();
                        });
        JsonNode sm = r.ofKind("ServiceMonitor").getFirst();
        assertThat(sm.path("spec").path("endpoints").get(0).path("port").asString())
                .isEqualTo("management");
        assertThat(sm.path("spec").path("endpoints").get(0).path("path").asString())
                .isEqualTo("/metrics");
    }

    private static String resource(Lane l) {
        return RenderedChart.resource(lane(l));
    }

    private static List<String> names(List<JsonNode> manifests) {
        return manifests.stream().map(m -> m.path("metadata").path("name").asString()).toList();
    }

    private static List<JsonNode> containers(List<JsonNode> workloads) {
        return workloads.stream()
                .flatMap(
                        w ->
                                w.path("spec")
                                        .path("template")
                                        .path("spec")
                                        .path("containers")
                                        .valueStream())
                .toList();
    }

    private static Set<String> envNames(JsonNode container) {
        return container
                .path("env")
                .valueStream()
                .map(e -> e.path("name").asString())
                .collect(Collectors.toSet());
    }

    private static Set<String> portNames(JsonNode container) {
        return container
                .path("ports")
                .valueStream()
                .map(p -> p.path("name").asString())
                .collect(Collectors.toSet());
    }
}
