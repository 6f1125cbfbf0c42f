-- Partitions are mounted file systems: each records where it is mounted, on what device
-- and disk, and how many files it reads at once. Scans may cover every local mount.

alter table treesum_scan
	add column all_mounts boolean not null default false,
	add column io_concurrency integer not null default 0;

comment on column treesum_scan.io_concurrency is 'Files read at once per partition as asked; 0 for the default of each disk';

alter table treesum_partition
	add column mountpoint text,
	add column device text,
	add column fs_type text,
	add column source text,
	add column disk text,
	add column io_concurrency integer;

comment on column treesum_partition.root is 'Where the partition''s walk starts: a scan root or a mount point under one';
comment on column treesum_partition.disk is 'The physical disk(s) beneath; partitions on one disk never run at once';

-- Per partition: what it is, what it stored, and how long its attempts ran.
create view treesum_partition_status as
select tp.scan_id,
	tp.name,
	tp.root,
	tp.mountpoint,
	tp.device,
	tp.fs_type,
	tp.source,
	tp.disk,
	tp.io_concurrency,
	tp.files,
	tp.bytes,
	tp.errors,
	coalesce(last.status, 'STARTING') as state,
	coalesce(runs.seconds, 0) as seconds,
	case when coalesce(runs.seconds, 0) > 0 then tp.files / runs.seconds end as files_per_second,
	case when coalesce(runs.seconds, 0) > 0 then tp.bytes / runs.seconds end as bytes_per_second
from treesum_partition tp
join treesum_scan s on s.id = tp.scan_id
left join lateral (
	select sum(extract(epoch from (coalesce(se.end_time, se.last_updated) - se.start_time))) as seconds
	from batch_step_execution se
	join batch_job_execution e on e.job_execution_id = se.job_execution_id
	where e.job_instance_id = s.job_instance_id
		and se.step_name = 'mountStep:' || tp.name
) runs on true
left join lateral (
	select se.status
	from batch_step_execution se
	join batch_job_execution e on e.job_execution_id = se.job_execution_id
	where e.job_instance_id = s.job_instance_id
		and se.step_name = 'mountStep:' || tp.name
	order by se.step_execution_id desc
	limit 1
) last on true;
