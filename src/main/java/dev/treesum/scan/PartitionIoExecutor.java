package dev.treesum.scan;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.scope.context.JobSynchronizationManager;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.core.task.support.TaskExecutorAdapter;

/**
 * The threads that read one partition's files at once ({@code --io-concurrency}), for as
 * long as the partition runs. Their tasks see the scan's job scope, as the partition's
 * own thread does, since the processor they call reads the scan's settings.
 */
class PartitionIoExecutor extends TaskExecutorAdapter implements DisposableBean {

	private final ExecutorService threads;

	PartitionIoExecutor(MountPartition partition, JobExecution job) {
		this(newPool(partition.name(), partition.ioConcurrency()));
		setTaskDecorator((task) -> () -> {
			JobSynchronizationManager.register(job);
			try {
				task.run();
			}
			finally {
				JobSynchronizationManager.close();
			}
		});
	}

	private PartitionIoExecutor(ExecutorService threads) {
		super(threads);
		this.threads = threads;
	}

	@Override
	public void destroy() {
		this.threads.shutdownNow();
	}

	private static ExecutorService newPool(String partition, int concurrency) {
		AtomicInteger count = new AtomicInteger();
		return Executors.newFixedThreadPool(concurrency, (task) -> {
			Thread thread = new Thread(task, partition + "-io-" + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
	}

}
