package dev.treesum.scan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.batch.core.partition.support.AbstractPartitionHandler;
import org.springframework.batch.core.scope.context.JobSynchronizationManager;
import org.springframework.batch.core.scope.context.StepSynchronizationManager;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Runs partitions the way treesum reads disks: the partitions of one group of disks one
 * after another, since parallel reads thrash a disk, and the groups in parallel, up to
 * the number of threads, taking groups like a work queue, the largest first.
 */
class DiskPartitionHandler extends AbstractPartitionHandler {

	private final ObjectProvider<Step> step;

	private final int threads;

	/**
	 * Create a handler.
	 * @param step makes the worker step of the partition whose step scope is active
	 * @param threads groups of disks run at once
	 */
	DiskPartitionHandler(ObjectProvider<Step> step, int threads) {
		this.step = step;
		this.threads = threads;
	}

	@Override
	protected Set<StepExecution> doHandle(StepExecution managerStepExecution, Set<StepExecution> partitions)
			throws Exception {
		Map<String, List<StepExecution>> byDisk = new LinkedHashMap<>();
		partitions.stream()
			.sorted(Comparator.comparing((StepExecution partition) -> partition.getStepName().length())
				.thenComparing(StepExecution::getStepName))
			.forEach((partition) -> byDisk
				.computeIfAbsent(MountPartition.from(partition.getExecutionContext()).disk(),
						(disk) -> new ArrayList<>())
				.add(partition));
		List<List<StepExecution>> queue = new ArrayList<>(byDisk.values());
		queue.sort(Comparator.comparingInt((List<StepExecution> group) -> group.size()).reversed());
		AtomicInteger workers = new AtomicInteger();
		ExecutorService executor = Executors.newFixedThreadPool(Math.min(this.threads, Math.max(queue.size(), 1)),
				(task) -> new Thread(task, "partition-" + workers.incrementAndGet()));
		try {
			List<Future<?>> running = new ArrayList<>();
			for (List<StepExecution> group : queue) {
				running.add(executor.submit(() -> {
					// The partition's beans read the scan's job-scoped settings.
					JobSynchronizationManager.register(managerStepExecution.getJobExecution());
					try {
						for (StepExecution partition : group) {
							// Each partition's step and its beans are made in the
							// partition's own step scope.
							StepSynchronizationManager.register(partition);
							try {
								this.step.getObject().execute(partition);
							}
							finally {
								StepSynchronizationManager.close();
							}
						}
					}
					finally {
						JobSynchronizationManager.close();
					}
					return null;
				}));
			}
			for (Future<?> future : running) {
				future.get();
			}
		}
		finally {
			executor.shutdownNow();
		}
		return partitions;
	}

}
