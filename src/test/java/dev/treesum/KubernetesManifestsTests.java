package dev.treesum;

import java.beans.Introspector;
import java.beans.PropertyDescriptor;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The manifests in {@code k8s/}, rendered with kustomize ({@code kubectl kustomize},
 * offline) and read into the Kubernetes API's typed objects: a field the API does not
 * have, such as a misspelling, fails the test, and so does any of the operational
 * properties the CronJob must keep.
 */
class KubernetesManifestsTests {

	private static final Path K8S = Path.of("k8s");

	private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of("CronJob", CronJob.class, "Job",
			Job.class, "ConfigMap", ConfigMap.class, "Secret", Secret.class, "Service", Service.class, "StatefulSet",
			StatefulSet.class);

	private static final ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
		.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

	private static final String GENERATOR = "generate-node-overlays.sh";

	private static Boolean kubectlWorks;

	@Test
	void everyOverlayRendersToValidObjects() throws Exception {
		for (String kustomization : List.of("base", "overlays/node-local", "overlays/try-out", "report",
				"report/node-local", "report/try-out")) {
			List<HasMetadata> objects = render(kustomization);
			assertThat(objects).as(kustomization).isNotEmpty();
		}
		assertThat(parse(Files.readString(K8S.resolve("base/secret.example.yaml")))).hasSize(1);
	}

	@Test
	void aMisspelledFieldIsCaught() throws Exception {
		String manifest = Files.readString(K8S.resolve("base/cronjob.yaml"))
			.replace("concurrencyPolicy:", "concurencyPolicy:");

		assertThat(unknownFields(parse(manifest).get(0))).contains("CronJobSpec.concurencyPolicy");
	}

	@Test
	void theCronJobRetriesIntoAResumeAndStopsCleanly() throws Exception {
		CronJob cronJob = only(render("base"), CronJob.class);
		var spec = cronJob.getSpec();
		assertThat(spec.getConcurrencyPolicy()).isEqualTo("Forbid");
		assertThat(spec.getStartingDeadlineSeconds()).isPositive();
		assertThat(spec.getSuccessfulJobsHistoryLimit()).isPositive();
		assertThat(spec.getFailedJobsHistoryLimit()).isPositive();
		var job = spec.getJobTemplate().getSpec();
		assertThat(job.getBackoffLimit()).as("a failed pod is retried, and the retry resumes").isPositive();
		assertThat(job.getPodFailurePolicy().getRules().get(0).getOnExitCodes().getValues()).containsExactly(2, 4, 5);
		assertThat(job.getActiveDeadlineSeconds()).as("a hung scan ends before the next night is due")
			.isGreaterThan(Duration.ofHours(8).toSeconds())
			.isLessThan(Duration.ofHours(24).toSeconds() - spec.getStartingDeadlineSeconds());
		PodSpec pod = job.getTemplate().getSpec();
		assertThat(pod.getRestartPolicy()).isEqualTo("Never");
		assertThat(pod.getTerminationGracePeriodSeconds()).as("above the 20 s stop timeout").isGreaterThan(20);
		assertThat(pod.getAutomountServiceAccountToken()).isFalse();
		assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
		Container container = pod.getContainers().get(0);
		assertThat(container.getArgs()).startsWith("scan").containsSequence("--fail-on", "corrupted");
		var security = container.getSecurityContext();
		assertThat(security.getReadOnlyRootFilesystem()).isTrue();
		assertThat(security.getAllowPrivilegeEscalation()).isFalse();
		assertThat(security.getCapabilities().getDrop()).containsExactly("ALL");
		assertThat(security.getCapabilities().getAdd()).containsExactly("DAC_READ_SEARCH");
		assertThat(container.getResources().getRequests()).containsKeys("cpu", "memory");
		assertThat(container.getResources().getLimits()).containsKey("memory");
		assertThat(mount(container, "/tmp")).isNotNull();
		assertThat(volume(pod, mount(container, "/tmp").getName()).getEmptyDir()).isNotNull();
		assertThat(container.getVolumeMounts()).filteredOn((mount) -> mount.getMountPath().startsWith("/scan/"))
			.isNotEmpty()
			.allSatisfy((mount) -> assertThat(mount.getReadOnly()).isTrue());
		assertThat(env(container, "SPRING_DATASOURCE_PASSWORD").getValueFrom().getSecretKeyRef().getName())
			.isEqualTo("treesum-db");
		assertThat(container.getEnvFrom().get(0).getConfigMapRef().getName()).isEqualTo("treesum-config");
		ConfigMap config = only(render("base"), ConfigMap.class);
		assertThat(config.getData()).containsKeys("SPRING_DATASOURCE_URL", "TREESUM_HOST")
			.doesNotContainKeys("SPRING_DATASOURCE_PASSWORD");
	}

	@Test
	void theNodeLocalOverlayScansHostPathsAsItsNode() throws Exception {
		PodSpec pod = only(render("overlays/node-local"), CronJob.class).getSpec()
			.getJobTemplate()
			.getSpec()
			.getTemplate()
			.getSpec();
		Container container = pod.getContainers().get(0);
		assertThat(container.getArgs()).containsSequence("--host", "$(NODE_NAME)");
		assertThat(env(container, "NODE_NAME").getValueFrom().getFieldRef().getFieldPath()).isEqualTo("spec.nodeName");
		assertThat(pod.getNodeSelector()).containsKey("kubernetes.io/hostname");
		assertThat(container.getVolumeMounts()).filteredOn((mount) -> mount.getMountPath().startsWith("/scan/"))
			.hasSizeGreaterThanOrEqualTo(2)
			.allSatisfy((mount) -> {
				assertThat(mount.getReadOnly()).isTrue();
				Volume volume = volume(pod, mount.getName());
				assertThat(volume.getHostPath()).isNotNull();
				assertThat(volume.getPersistentVolumeClaim()).isNull();
			});
		List<HasMetadata> objects = render("overlays/node-local");
		assertScansNode(objects, only(objects, CronJob.class), "node-1");
	}

	@Test
	void theGeneratorWritesOneCronJobPinnedToEachNode(@TempDir Path temp) throws Exception {
		Path k8s = copyOfK8s(temp);
		List<String> nodes = List.of("node-a", "node-b.example.com", "gke-prod-cluster-default-pool-1a2b3c4d-x9z8");
		assertThat(generate(k8s, "", nodes.toArray(String[]::new)).exitCode()).isZero();

		List<HasMetadata> objects = render(k8s.resolve("nodes"));
		List<CronJob> cronJobs = all(objects, CronJob.class);
		assertThat(cronJobs).hasSize(3);
		assertThat(cronJobs).extracting((cronJob) -> cronJob.getMetadata().getName())
			.doesNotHaveDuplicates()
			.allSatisfy((name) -> assertThat(name).as("leaves room for the Job names").hasSizeLessThanOrEqualTo(52));
		assertThat(all(objects, ConfigMap.class)).extracting((config) -> config.getMetadata().getName())
			.hasSize(3)
			.doesNotHaveDuplicates();
		long deadline = only(render("base"), CronJob.class).getSpec()
			.getJobTemplate()
			.getSpec()
			.getActiveDeadlineSeconds();
		for (String node : nodes) {
			List<CronJob> pinned = cronJobs.stream()
				.filter((cronJob) -> node.equals(podSpec(cronJob).getNodeSelector().get("kubernetes.io/hostname")))
				.toList();
			assertThat(pinned).as(node).hasSize(1);
			CronJob cronJob = pinned.get(0);
			assertScansNode(objects, cronJob, node);
			JobSpec job = cronJob.getSpec().getJobTemplate().getSpec();
			assertThat(job.getActiveDeadlineSeconds()).isEqualTo(deadline);
			assertThat(job.getPodFailurePolicy().getRules()).anySatisfy((rule) -> {
				assertThat(rule.getAction()).isEqualTo("FailJob");
				assertThat(rule.getOnExitCodes().getContainerName()).isEqualTo("treesum");
				assertThat(rule.getOnExitCodes().getOperator()).isEqualTo("In");
				assertThat(rule.getOnExitCodes().getValues()).contains(2, 4, 5);
			});
			Container container = podSpec(cronJob).getContainers().get(0);
			assertThat(container.getArgs()).startsWith("scan").containsSequence("--fail-on", "corrupted");

			Path report = k8s.resolve("nodes").resolve(node).resolve("report");
			Job reportJob = assertReportFollows(objects, cronJob, render(report));
			assertThat(reportJob.getMetadata().getName()).as("a Job name is at most 63 characters")
				.hasSizeLessThanOrEqualTo(63);
		}
	}

	@Test
	void theGeneratorReadsNodeNamesFromStandardInputAndDropsNodesNoLongerNamed(@TempDir Path temp) throws Exception {
		Path k8s = copyOfK8s(temp);
		assertThat(generate(k8s, "node/worker-1\nnode/worker-2\n\n", "-").exitCode()).isZero();
		assertThat(Files.readAllLines(k8s.resolve("nodes/kustomization.yaml"))).containsSubsequence("  - worker-1/scan",
				"  - worker-2/scan");

		assertThat(generate(k8s, "", "worker-2").exitCode()).isZero();

		assertThat(Files.readAllLines(k8s.resolve("nodes/kustomization.yaml"))).contains("  - worker-2/scan")
			.doesNotContain("  - worker-1/scan");
		assertThat(k8s.resolve("nodes/worker-1")).doesNotExist();
		assertThat(k8s.resolve("nodes/worker-2/scan/kustomization.yaml")).exists();
		assertThat(k8s.resolve("nodes/worker-2/report/kustomization.yaml")).exists();
	}

	@Test
	void theGeneratorRefusesNamesItCannotUseAndWritesNothing(@TempDir Path temp) throws Exception {
		Path k8s = copyOfK8s(temp);
		for (List<String> names : List.of(List.of("node-a", "Not_A_Node"), List.of("a.b", "a-b"),
				List.of("x".repeat(64)))) {
			Generated generated = generate(k8s, "", names.toArray(String[]::new));
			assertThat(generated.exitCode()).as(names.toString()).isEqualTo(2);
			assertThat(generated.output()).as(names.toString()).startsWith(GENERATOR + ": ");
		}
		try (var files = Files.list(k8s)) {
			assertThat(files.map((file) -> file.getFileName().toString())).doesNotContain("nodes")
				.noneMatch((name) -> name.startsWith(".nodes"));
		}
		Files.createDirectories(k8s.resolve("nodes/mine"));
		assertThat(generate(k8s, "", "node-a").exitCode()).as("a directory it did not write").isEqualTo(2);
		assertThat(k8s.resolve("nodes/mine")).isDirectory();
	}

	@Test
	void theTryOutOverlayBringsItsOwnPostgres() throws Exception {
		List<HasMetadata> objects = render("overlays/try-out");
		StatefulSet postgres = only(objects, StatefulSet.class);
		assertThat(postgres.getSpec().getVolumeClaimTemplates()).hasSize(1);
		assertThat(only(objects, Service.class).getSpec().getPorts().get(0).getPort()).isEqualTo(5432);
		assertThat(only(objects, Secret.class).getMetadata().getName()).isEqualTo("treesum-db");
		assertThat(only(objects, ConfigMap.class).getData().get("SPRING_DATASOURCE_URL"))
			.contains("treesum-postgres:5432");
	}

	@Test
	void theReportJobRunsAChangesReport() throws Exception {
		Job job = only(render("report"), Job.class);
		Container container = job.getSpec().getTemplate().getSpec().getContainers().get(0);
		assertThat(container.getArgs()).startsWith("report", "changes");
		assertThat(container.getEnvFrom().get(0).getConfigMapRef().getName()).isEqualTo("treesum-config");
		assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
	}

	@Test
	void everyOverlaysReportUsesTheObjectsOfThatOverlay() throws Exception {
		Map<String, String> reports = Map.of("base", "report", "overlays/node-local", "report/node-local",
				"overlays/try-out", "report/try-out");
		for (Map.Entry<String, String> pair : reports.entrySet()) {
			List<HasMetadata> overlay = render(pair.getKey());
			Job job = assertReportFollows(overlay, only(overlay, CronJob.class), render(pair.getValue()));
			assertThat(job.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs()).as(pair.getValue())
				.startsWith("report", "changes");
		}
		List<HasMetadata> tryOut = render("overlays/try-out");
		Job tryOutReport = only(render("report/try-out"), Job.class);
		assertThat(names(tryOut, Secret.class)).contains(
				env(tryOutReport.getSpec().getTemplate().getSpec().getContainers().get(0), "SPRING_DATASOURCE_PASSWORD")
					.getValueFrom()
					.getSecretKeyRef()
					.getName());
	}

	/**
	 * The CronJob runs on {@code node}, its scans belong to the node (downward API), it
	 * reads the node's directories, and its ConfigMap, which reports read, names the node
	 * as the host.
	 */
	private static void assertScansNode(List<HasMetadata> objects, CronJob cronJob, String node) {
		PodSpec pod = podSpec(cronJob);
		assertThat(pod.getNodeSelector()).containsEntry("kubernetes.io/hostname", node);
		Container container = pod.getContainers().get(0);
		assertThat(container.getArgs()).containsSequence("--host", "$(NODE_NAME)");
		assertThat(env(container, "NODE_NAME").getValueFrom().getFieldRef().getFieldPath()).isEqualTo("spec.nodeName");
		assertThat(container.getVolumeMounts()).filteredOn((mount) -> mount.getMountPath().startsWith("/scan/"))
			.isNotEmpty()
			.allSatisfy((mount) -> {
				assertThat(mount.getReadOnly()).isTrue();
				assertThat(volume(pod, mount.getName()).getHostPath()).isNotNull();
				assertThat(volume(pod, mount.getName()).getPersistentVolumeClaim()).isNull();
			});
		String configMap = container.getEnvFrom().get(0).getConfigMapRef().getName();
		assertThat(all(objects, ConfigMap.class))
			.filteredOn((config) -> config.getMetadata().getName().equals(configMap))
			.singleElement()
			.satisfies((config) -> assertThat(config.getData()).containsEntry("TREESUM_HOST", node));
	}

	/**
	 * The report rendering holds the report Job alone, and it reads the same ConfigMap
	 * (one of the overlay's own objects) and Secret as the CronJob, with the same image.
	 */
	private static Job assertReportFollows(List<HasMetadata> overlay, CronJob cronJob, List<HasMetadata> report) {
		String name = cronJob.getMetadata().getName();
		assertThat(report).as("the report of " + name).hasSize(1);
		Job job = only(report, Job.class);
		assertThat(job.getMetadata().getName()).startsWith(name + "-");
		Container scan = podSpec(cronJob).getContainers().get(0);
		Container container = job.getSpec().getTemplate().getSpec().getContainers().get(0);
		String configMap = container.getEnvFrom().get(0).getConfigMapRef().getName();
		assertThat(names(overlay, ConfigMap.class)).as("ConfigMaps next to " + name).contains(configMap);
		assertThat(configMap).isEqualTo(scan.getEnvFrom().get(0).getConfigMapRef().getName());
		for (String secret : List.of("SPRING_DATASOURCE_USERNAME", "SPRING_DATASOURCE_PASSWORD")) {
			assertThat(env(container, secret).getValueFrom().getSecretKeyRef())
				.isEqualTo(env(scan, secret).getValueFrom().getSecretKeyRef());
		}
		assertThat(container.getImage()).isEqualTo(scan.getImage());
		return job;
	}

	private static Path copyOfK8s(Path temp) throws IOException {
		Path copy = temp.resolve("k8s");
		try (var files = Files.walk(K8S)) {
			for (Path file : files.filter((file) -> !file.startsWith(K8S.resolve("nodes"))).toList()) {
				Files.copy(file, copy.resolve(K8S.relativize(file).toString()));
			}
		}
		return copy;
	}

	private static Generated generate(Path k8s, String input, String... arguments) throws Exception {
		List<String> command = new ArrayList<>(List.of("sh", k8s.resolve(GENERATOR).toString()));
		command.addAll(List.of(arguments));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		try (var stdin = process.getOutputStream()) {
			stdin.write(input.getBytes());
		}
		String output = new String(process.getInputStream().readAllBytes());
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
		return new Generated(process.exitValue(), output);
	}

	private record Generated(int exitCode, String output) {
	}

	private static List<HasMetadata> render(String kustomization) throws Exception {
		return render(K8S.resolve(kustomization));
	}

	private static List<HasMetadata> render(Path kustomization) throws Exception {
		if (kubectlWorks == null) {
			kubectlWorks = kubectlWorks();
		}
		Assumptions.assumeTrue(kubectlWorks, "kubectl (with its built-in kustomize) is not installed");
		Process process = new ProcessBuilder("kubectl", "kustomize", kustomization.toString())
			.redirectError(ProcessBuilder.Redirect.INHERIT)
			.start();
		String rendered = new String(process.getInputStream().readAllBytes());
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).as("kubectl kustomize " + kustomization).isZero();
		List<HasMetadata> objects = parse(rendered);
		for (HasMetadata object : objects) {
			assertThat(unknownFields(object)).as(object.getKind() + " " + object.getMetadata().getName()).isEmpty();
		}
		return objects;
	}

	private static List<HasMetadata> parse(String manifests) throws IOException {
		List<HasMetadata> objects = new ArrayList<>();
		try (var documents = yaml.readerFor(Map.class).readValues(manifests)) {
			while (documents.hasNext()) {
				Map<?, ?> document = (Map<?, ?>) documents.next();
				Class<? extends HasMetadata> type = KINDS.get((String) document.get("kind"));
				assertThat(type).as("a kind the test knows: " + document.get("kind")).isNotNull();
				objects.add(yaml.convertValue(document, type));
			}
		}
		return objects;
	}

	/**
	 * The typed objects keep what the API does not define in their additional properties:
	 * collect them, as {@code Type.field}, anywhere in the object graph.
	 */
	static List<String> unknownFields(Object root) throws Exception {
		List<String> unknown = new ArrayList<>();
		collectUnknown(root, unknown, java.util.Collections.newSetFromMap(new IdentityHashMap<>()));
		return unknown;
	}

	private static void collectUnknown(Object value, List<String> unknown, Set<Object> seen) throws Exception {
		if (value == null || !seen.add(value)) {
			return;
		}
		if (value instanceof Collection<?> collection) {
			for (Object element : collection) {
				collectUnknown(element, unknown, seen);
			}
			return;
		}
		if (value instanceof Map<?, ?> map) {
			for (Object element : map.values()) {
				collectUnknown(element, unknown, seen);
			}
			return;
		}
		if (!value.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
			return;
		}
		for (PropertyDescriptor property : Introspector.getBeanInfo(value.getClass()).getPropertyDescriptors()) {
			Method getter = property.getReadMethod();
			if (getter == null || getter.getParameterCount() != 0 || property.getName().equals("class")) {
				continue;
			}
			Object child = getter.invoke(value);
			if (property.getName().equals("additionalProperties") && child instanceof Map<?, ?> extra) {
				extra.keySet().forEach((key) -> unknown.add(value.getClass().getSimpleName() + "." + key));
			}
			else {
				collectUnknown(child, unknown, seen);
			}
		}
	}

	private static <T> T only(List<HasMetadata> objects, Class<T> type) {
		List<T> matching = all(objects, type);
		assertThat(matching).as(type.getSimpleName()).hasSize(1);
		return matching.get(0);
	}

	private static <T> List<T> all(List<HasMetadata> objects, Class<T> type) {
		return objects.stream().filter(type::isInstance).map(type::cast).toList();
	}

	private static List<String> names(List<HasMetadata> objects, Class<? extends HasMetadata> type) {
		return all(objects, type).stream().map((object) -> object.getMetadata().getName()).toList();
	}

	private static PodSpec podSpec(CronJob cronJob) {
		return cronJob.getSpec().getJobTemplate().getSpec().getTemplate().getSpec();
	}

	private static VolumeMount mount(Container container, String path) {
		return container.getVolumeMounts()
			.stream()
			.filter((mount) -> mount.getMountPath().equals(path))
			.findFirst()
			.orElse(null);
	}

	private static Volume volume(PodSpec pod, String name) {
		return pod.getVolumes().stream().filter((volume) -> volume.getName().equals(name)).findFirst().orElseThrow();
	}

	private static EnvVar env(Container container, String name) {
		return container.getEnv().stream().filter((env) -> env.getName().equals(name)).findFirst().orElseThrow();
	}

	private static boolean kubectlWorks() {
		try {
			Process process = new ProcessBuilder("kubectl", "version", "--client").redirectErrorStream(true).start();
			process.getInputStream().readAllBytes();
			return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
		}
		catch (IOException | InterruptedException ex) {
			return false;
		}
	}

}
