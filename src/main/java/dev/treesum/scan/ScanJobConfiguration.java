package dev.treesum.scan;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import dev.treesum.StopSignal;
import dev.treesum.TreesumProperties;
import dev.treesum.hash.FileHasher;
import dev.treesum.hash.HashAlgorithm;
import dev.treesum.mount.BlockDevices;
import dev.treesum.mount.Mount;
import dev.treesum.mount.MountTable;

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
import org.springframework.context.annotation.Lazy;
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
	Step scanStep(JobRepository jobRepository, MountPartitioner mountPartitioner,
			DiskPartitionHandler partitionHandler) {
		return new StepBuilder("scanStep", jobRepository).partitioner("mountStep", mountPartitioner)
			.partitionHandler(partitionHandler)
			.build();
	}

	@Bean
	Step mountStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			FileTreeReader fileTreeReader, FileHashProcessor fileHashProcessor, FileRecordWriter fileRecordWriter,
			PartitionProgressListener partitionProgressListener, PartitionIoExecutor mountIoExecutor,
			TreesumProperties properties) {
		return new StepBuilder("mountStep", jobRepository).<FileEntry, FileRecord>chunk(properties.chunkSize())
			.reader(fileTreeReader)
			.processor(fileHashProcessor)
			.writer(fileRecordWriter)
			.listener(partitionProgressListener)
			// Reads --io-concurrency files of a chunk at once; the chunk still
			// commits whole and in order, so the reader's saved position stays exact.
			.taskExecutor(mountIoExecutor)
			// Without it the chunk's rows and the reader's position would not commit
			// together.
			.transactionManager(transactionManager)
			.build();
	}

	@Bean
	@JobScope
	MountPartitioner mountPartitioner(@Value(SCAN_ID) Long scanId, ScanRepository scans, TreesumProperties properties) {
		return new MountPartitioner(scans.settings(scanId), scans, properties.filesystemTypes(), new BlockDevices());
	}

	@Bean
	@JobScope
	DiskPartitionHandler partitionHandler(@Lazy Step mountStep,
			@Value("#{jobParameters['" + THREADS_PARAMETER + "']}") Long threads) {
		return new DiskPartitionHandler(mountStep, threads.intValue());
	}

	@Bean
	@StepScope
	PartitionIoExecutor mountIoExecutor(
			@Value("#{stepExecutionContext['" + MountPartitioner.IO_CONCURRENCY_KEY + "']}") Integer ioConcurrency,
			@Value("#{stepExecutionContext['" + MountPartitioner.NAME_KEY + "']}") String partition) {
		return new PartitionIoExecutor(partition, ioConcurrency);
	}

	@Bean
	@StepScope
	FileTreeReader fileTreeReader(@Value("#{stepExecutionContext['" + MountPartitioner.ROOT_KEY + "']}") String root,
			@Value("#{stepExecutionContext['" + MountPartitioner.ROOT_BYTES_KEY + "']}") String rootBytes,
			@Value(SCAN_ID) Long scanId, ScanRepository scans) throws IOException {
		// From the exact bytes: the readable root names no path when it is not UTF-8.
		// Partitions made before the bytes were kept have only the text.
		Path start = (rootBytes != null) ? PathBytes.path(Base64.getDecoder().decode(rootBytes)) : Path.of(root);
		// Every mount below the walk's start is another partition's, or not scanned at
		// all.
		List<byte[]> mountPoints = MountTable.read()
			.under(PathBytes.of(start))
			.stream()
			.map(Mount::mountPoint)
			.toList();
		return new FileTreeReader(start, scans.settings(scanId).excludes(), mountPoints);
	}

	@Bean
	@StepScope
	FileHashProcessor fileHashProcessor(@Value(SCAN_ID) Long scanId, ScanRepository scans, JdbcTemplate jdbcTemplate,
			TreesumProperties properties) {
		ScanSettings scan = scans.settings(scanId);
		PreviousDigests previous = scan.incremental() ? scans.previousWithSameAlgorithm(scanId)
			.map((previousId) -> new PreviousDigests(jdbcTemplate, previousId))
			.orElse(PreviousDigests.NONE) : PreviousDigests.NONE;
		// Half the stop timeout lets the chunk in progress finish; then it is rolled
		// back.
		Duration patience = properties.stopTimeout().dividedBy(2);
		return new FileHashProcessor(new FileHasher(HashAlgorithm.of(scan.algorithm())), (bytes) -> {
		}, () -> StopSignal.isOverdue(patience), properties.pausePerFile(), previous);
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
