package dev.treesum.scan;

import java.nio.file.Path;
import java.time.Duration;

import dev.treesum.StopSignal;
import dev.treesum.TreesumProperties;
import dev.treesum.hash.FileHasher;
import dev.treesum.hash.HashAlgorithm;

import org.springframework.batch.core.configuration.annotation.JobScope;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The scan job: {@code scanStep} splits the scan into one {@code mountStep} per partition
 * and runs them on {@code --threads} workers that take partitions like a work queue; each
 * {@code mountStep} reads, hashes and writes in chunks, in the database's transactions.
 */
@Configuration(proxyBeanMethods = false)
class ScanJobConfiguration {

	static final String JOB_NAME = "scanJob";

	/** The identifying job parameter: one job instance per scan. */
	static final String SCAN_ID_PARAMETER = "scan.id";

	/** Partitions run at once; may differ between attempts of one scan. */
	static final String THREADS_PARAMETER = "threads";

	private static final String SCAN_ID = "#{jobParameters['" + SCAN_ID_PARAMETER + "']}";

	@Bean
	Job scanJob(JobRepository jobRepository, Step scanStep, ScanJobListener scanJobListener) {
		return new JobBuilder(JOB_NAME, jobRepository).listener(scanJobListener).start(scanStep).build();
	}

	@Bean
	Step scanStep(JobRepository jobRepository, Step mountStep, MountPartitioner mountPartitioner,
			SimpleAsyncTaskExecutor partitionTaskExecutor) {
		return new StepBuilder("scanStep", jobRepository).partitioner("mountStep", mountPartitioner)
			.step(mountStep)
			.taskExecutor(partitionTaskExecutor)
			.build();
	}

	@Bean
	Step mountStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			FileTreeReader fileTreeReader, FileHashProcessor fileHashProcessor, FileRecordWriter fileRecordWriter,
			PartitionProgressListener partitionProgressListener, TreesumProperties properties) {
		return new StepBuilder("mountStep", jobRepository).<FileEntry, FileRecord>chunk(properties.chunkSize())
			.reader(fileTreeReader)
			.processor(fileHashProcessor)
			.writer(fileRecordWriter)
			.listener(partitionProgressListener)
			// Without it the chunk's rows and the reader's position would not commit
			// together.
			.transactionManager(transactionManager)
			.build();
	}

	@Bean
	@JobScope
	MountPartitioner mountPartitioner(@Value(SCAN_ID) Long scanId, ScanRepository scans) {
		return new MountPartitioner(scans.settings(scanId), scans);
	}

	@Bean
	@JobScope
	SimpleAsyncTaskExecutor partitionTaskExecutor(
			@Value("#{jobParameters['" + THREADS_PARAMETER + "']}") Long threads) {
		SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor("partition-");
		executor.setConcurrencyLimit(threads.intValue());
		return executor;
	}

	@Bean
	@StepScope
	FileTreeReader fileTreeReader(@Value("#{stepExecutionContext['" + MountPartitioner.ROOT_KEY + "']}") String root,
			@Value(SCAN_ID) Long scanId, ScanRepository scans) {
		return new FileTreeReader(Path.of(root), scans.settings(scanId).excludes());
	}

	@Bean
	@StepScope
	FileHashProcessor fileHashProcessor(@Value(SCAN_ID) Long scanId, ScanRepository scans,
			TreesumProperties properties) {
		// Half the stop timeout finishes the chunk in progress; after that it is rolled
		// back.
		Duration patience = properties.stopTimeout().dividedBy(2);
		return new FileHashProcessor(new FileHasher(HashAlgorithm.of(scans.settings(scanId).algorithm())), (bytes) -> {
		}, () -> StopSignal.isOverdue(patience), properties.pausePerFile());
	}

	@Bean
	@StepScope
	FileRecordWriter fileRecordWriter(JdbcTemplate jdbcTemplate, @Value(SCAN_ID) Long scanId,
			@Value("#{stepExecutionContext['" + MountPartitioner.NAME_KEY + "']}") String partition) {
		return new FileRecordWriter(jdbcTemplate, scanId, partition);
	}

	@Bean
	@StepScope
	PartitionProgressListener partitionProgressListener(
			@Value("#{stepExecutionContext['" + MountPartitioner.NAME_KEY + "']}") String partition,
			@Value("#{stepExecutionContext['" + MountPartitioner.ROOT_KEY + "']}") String root,
			TreesumProperties properties) {
		return new PartitionProgressListener(partition, root, properties.progressInterval());
	}

}
