package org.dotmac.integrations.deployment;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.dotmac.integrations.core.PlatformEnvironmentSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What can be checked of the container and Kubernetes files without a Docker engine or a cluster:
 * they parse, carry the fields operations rely on, reference files that exist, and set only
 * variables the gateway knows.
 */
class DeploymentFilesTest {

    static final Path DOCKER = Path.of("docker");
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void deploymentHasProbesResourcesAndAGracefulStop() throws Exception {
        JsonNode deployment = yaml("k8s/deployment.yaml");
        JsonNode container = deployment.at("/spec/template/spec/containers/0");

        assertThat(deployment.get("kind").asText()).isEqualTo("Deployment");
        assertThat(deployment.at("/spec/replicas").asInt()).isGreaterThan(1);
        assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/observe/health/live");
        assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/observe/health/ready");
        assertThat(container.at("/startupProbe/httpGet/path").asText()).isEqualTo("/observe/health/ready");
        assertThat(container.at("/resources/requests/memory").asText()).isNotBlank();
        assertThat(container.at("/resources/limits/memory").asText()).isNotBlank();
        assertThat(container.at("/resources/limits/cpu").asText()).isNotBlank();
        assertThat(container.at("/lifecycle/preStop/exec/command")).isNotEmpty();
        int shutdownTimeout = yaml("k8s/configmap.yaml").at("/data/CAMEL_MAIN_SHUTDOWN_TIMEOUT").asInt();
        assertThat(deployment.at("/spec/template/spec/terminationGracePeriodSeconds").asInt())
                .as("grace period covers the shutdown timeout and the preStop pause").isGreaterThan(shutdownTimeout + 5);
        assertThat(deployment.at("/spec/template/spec/securityContext/runAsNonRoot").asBoolean()).isTrue();
    }

    @Test
    void configMapSecretServiceAndAutoscalerFitTheDeployment() throws Exception {
        JsonNode deployment = yaml("k8s/deployment.yaml");
        JsonNode config = yaml("k8s/configmap.yaml");
        JsonNode secret = yaml("k8s/secret.yaml");
        String app = deployment.at("/spec/template/metadata/labels/app").asText();

        assertThat(config.at("/data/JMS__BROKER_URL").asText()).startsWith("tcp://");
        assertThat(config.get("data").fieldNames()).toIterable().filteredOn(k -> k.startsWith("FEATURES__")).hasSizeGreaterThan(3);
        assertThat(deployment.at("/spec/template/spec/containers/0/envFrom/0/configMapRef/name").asText())
                .isEqualTo(config.at("/metadata/name").asText());
        assertThat(secret.at("/stringData/token").isTextual()).isTrue();
        String tokenFile = config.at("/data/VAULT_TOKEN_FILE").asText();
        String mount = deployment.at("/spec/template/spec/containers/0/volumeMounts/0/mountPath").asText();
        assertThat(tokenFile).isEqualTo(mount + "/token");
        assertThat(deployment.at("/spec/template/spec/volumes/0/secret/secretName").asText())
                .isEqualTo(secret.at("/metadata/name").asText());
        assertThat(yaml("k8s/service.yaml").at("/spec/selector/app").asText()).isEqualTo(app);
        JsonNode hpa = yaml("k8s/hpa.yaml");
        assertThat(hpa.at("/spec/scaleTargetRef/name").asText()).isEqualTo(deployment.at("/metadata/name").asText());
        assertThat(hpa.at("/spec/minReplicas").asInt()).isGreaterThan(1);
    }

    @Test
    void replicasShareIdempotencyInPostgresAndUseTheShippedBrokerWithCredentialsFromASecret() throws Exception {
        JsonNode config = yaml("k8s/configmap.yaml");
        assertThat(config.at("/data/IDEMPOTENCY__JDBC_URL").asText()).startsWith("jdbc:postgresql://");
        assertThat(config.at("/data/JMS__TRUST_VALIDATED_USER").asText()).isEqualTo("true");
        List<JsonNode> secrets = documents("k8s/secret.yaml");
        JsonNode env = yaml("k8s/deployment.yaml").at("/spec/template/spec/containers/0/env");
        for (String name : List.of("JMS__USERNAME", "JMS__PASSWORD", "IDEMPOTENCY__JDBC_PASSWORD")) {
            String[] ref = secretRef(env, name).split("/", 2);
            String secretName = ref[0];
            String key = ref[1];
            assertThat(secrets).as(name + ": Secret " + secretName + " with " + key)
                    .anyMatch(secret -> secret.at("/metadata/name").asText().equals(secretName) && secret.at("/stringData").has(key));
        }
        JsonNode services = yaml("compose.yaml").get("services");
        assertThat(services.at("/gateway/environment/IDEMPOTENCY__JDBC_URL").asText()).startsWith("jdbc:postgresql://postgres:");
        assertThat(services.at("/gateway/depends_on").has("postgres")).isTrue();
        String brokerXml = services.at("/artemis/volumes/0").asText().split(":")[0];
        assertThat(DOCKER.resolve(brokerXml).normalize()).isEqualTo(DOCKER.resolve("artemis/broker.xml")).isRegularFile();
    }

    @Test
    void kubernetesRunsTheSharedBrokerFromTheShippedFileWithTheGatewaysCredentials() throws Exception {
        JsonNode kustomization = yaml("kustomization.yaml");
        List<String> manifests = new ArrayList<>();
        try (var files = Files.list(DOCKER.resolve("k8s"))) {
            files.map(f -> "k8s/" + f.getFileName()).filter(f -> f.endsWith(".yaml")).sorted().forEach(manifests::add);
        }
        List<String> listed = new ArrayList<>();
        kustomization.get("resources").forEach(r -> listed.add(r.asText()));
        assertThat(listed).as("every manifest is applied").containsExactlyInAnyOrderElementsOf(manifests);
        JsonNode generator = kustomization.at("/configMapGenerator/0");
        assertThat(generator.path("name").asText()).isEqualTo("artemis-broker");
        assertThat(generator.at("/files/0").asText()).isEqualTo("broker.xml=artemis/broker.xml");

        List<JsonNode> broker = documents("k8s/artemis.yaml");
        JsonNode service = broker.stream().filter(d -> d.path("kind").asText().equals("Service")).findFirst().orElseThrow();
        JsonNode statefulSet = broker.stream().filter(d -> d.path("kind").asText().equals("StatefulSet")).findFirst().orElseThrow();
        String url = yaml("k8s/configmap.yaml").at("/data/JMS__BROKER_URL").asText();
        assertThat(url).as("the gateway reaches this broker")
                .isEqualTo("tcp://" + service.at("/metadata/name").asText() + ":" + service.at("/spec/ports/0/port").asInt());
        JsonNode pod = statefulSet.at("/spec/template/spec");
        JsonNode container = pod.at("/containers/0");
        String configVolume = null;
        for (JsonNode volume : pod.get("volumes")) {
            if (volume.at("/configMap/name").asText().equals("artemis-broker")) {
                configVolume = volume.get("name").asText();
            }
        }
        assertThat(configVolume).as("a volume of the generated ConfigMap").isNotNull();
        String mountedAt = null;
        for (JsonNode mount : container.get("volumeMounts")) {
            if (mount.get("name").asText().equals(configVolume)) {
                mountedAt = mount.get("mountPath").asText();
            }
        }
        assertThat(mountedAt).isEqualTo("/var/lib/artemis-instance/etc-override");
        assertThat(statefulSet.at("/spec/volumeClaimTemplates/0/metadata/name").asText()).as("the journal on a volume")
                .isEqualTo("data");
        JsonNode gatewayEnv = yaml("k8s/deployment.yaml").at("/spec/template/spec/containers/0/env");
        assertThat(secretRef(container.get("env"), "ARTEMIS_USER")).isEqualTo(secretRef(gatewayEnv, "JMS__USERNAME"));
        assertThat(secretRef(container.get("env"), "ARTEMIS_PASSWORD")).isEqualTo(secretRef(gatewayEnv, "JMS__PASSWORD"));

        // kubectl, where installed, builds the whole set: the ConfigMap holds the file as it is
        Path kubectl = java.util.stream.Stream.of(System.getenv("PATH").split(java.io.File.pathSeparator))
                .map(dir -> Path.of(dir, "kubectl")).filter(Files::isExecutable).findFirst().orElse(null);
        if (kubectl == null) {
            System.out.println("DeploymentFilesTest: kubectl is not on PATH; the kustomization was checked by reading it only");
            return;
        }
        Process build = new ProcessBuilder(kubectl.toString(), "kustomize", DOCKER.toString()).redirectErrorStream(true).start();
        String built = new String(build.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(build.waitFor()).as(built).isZero();
        List<JsonNode> resources = documents(YAML.getFactory().createParser(built));
        JsonNode configMap = resources.stream().filter(r -> r.path("kind").asText().equals("ConfigMap")
                && r.at("/metadata/name").asText().startsWith("artemis-broker-")).findFirst().orElseThrow();
        assertThat(configMap.at("/data/broker.xml").asText()).isEqualTo(Files.readString(DOCKER.resolve("artemis/broker.xml")));
        JsonNode builtSet = resources.stream().filter(r -> r.path("kind").asText().equals("StatefulSet")).findFirst().orElseThrow();
        assertThat(builtSet.findValuesAsText("name")).as("the StatefulSet mounts the generated name")
                .contains(configMap.at("/metadata/name").asText());
    }

    /** "secret/key" of the Secret an env entry takes {@code variable} from. */
    private static String secretRef(JsonNode env, String variable) {
        for (JsonNode entry : env) {
            if (entry.path("name").asText().equals(variable)) {
                JsonNode ref = entry.at("/valueFrom/secretKeyRef");
                assertThat(ref.isMissingNode()).as(variable + " from a Secret").isFalse();
                return ref.path("name").asText() + "/" + ref.path("key").asText();
            }
        }
        throw new AssertionError(variable + " is not set");
    }

    private static List<JsonNode> documents(String file) throws IOException {
        return documents(YAML.getFactory().createParser(DOCKER.resolve(file).toFile()));
    }

    private static List<JsonNode> documents(com.fasterxml.jackson.core.JsonParser parser) throws IOException {
        List<JsonNode> all = new ArrayList<>();
        try (var documents = YAML.readValues(parser, JsonNode.class)) {
            documents.forEachRemaining(all::add);
        }
        return all;
    }

    @Test
    void composeHasEveryDependencyAndReferencesFilesThatExist() throws Exception {
        JsonNode compose = yaml("compose.yaml");
        JsonNode services = compose.get("services");

        assertThat(services.fieldNames()).toIterable()
                .contains("gateway", "artemis", "minio", "vault", "vault-init", "elasticsearch", "mailpit");
        Path context = DOCKER.resolve(services.at("/gateway/build/context").asText()).normalize();
        assertThat(context.resolve(services.at("/gateway/build/dockerfile").asText())).isRegularFile();
        for (JsonNode volume : services.at("/vault-init/volumes")) {
            assertThat(DOCKER.resolve(volume.asText().split(":")[0])).isRegularFile();
        }
        assertThat(services.at("/gateway/environment").fieldNames()).toIterable()
                .anyMatch(k -> k.startsWith("FEATURES__")).anyMatch(k -> k.startsWith("EMAIL__"))
                .anyMatch(k -> k.startsWith("STORAGE__"));
    }

    @Test
    void everyVariableSetIsOneTheGatewayReads() throws Exception {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(Path.of("src/main/resources/application.properties"))) {
            properties.load(in);
        }
        // the providers' settings are described by their modules, not written in application.properties
        org.dotmac.integrations.core.Providers.all().forEach(module -> module.allSettings()
                .forEach(setting -> properties.setProperty(setting.key(), setting.defaultValue())));
        List<String> names = new ArrayList<>();
        yaml("compose.yaml").at("/services/gateway/environment").fieldNames().forEachRemaining(names::add);
        yaml("k8s/configmap.yaml").get("data").fieldNames().forEachRemaining(names::add);

        for (String name : names) {
            boolean known = name.startsWith("CAMEL_")
                    || properties.stringPropertyNames().stream().anyMatch(key ->
                            PlatformEnvironmentSource.environmentName(key).equals(name)
                                    || PlatformEnvironmentSource.camelEnvironmentName(key).equals(name));
            assertThat(known).as(name + " names no property of application.properties or of a provider module").isTrue();
        }
    }

    @Test
    void imageRunsAsNonRootWithAHealthCheckAndTheMeasuredFastStart() throws Exception {
        String dockerfile = Files.readString(DOCKER.resolve("Dockerfile"));

        assertThat(dockerfile).contains("AS build").contains("FROM eclipse-temurin:21-jre")
                .containsPattern("(?m)^USER 10001$")
                .contains("HEALTHCHECK").contains("/observe/health/ready")
                .contains("-XX:MaxRAMPercentage").contains("-XX:SharedArchiveFile=/app/app.jsa");
        assertThat(DOCKER.resolve("cds-training.sh")).isRegularFile().isExecutable();
    }

    private static JsonNode yaml(String file) throws IOException {
        return YAML.readTree(DOCKER.resolve(file).toFile());
    }
}
