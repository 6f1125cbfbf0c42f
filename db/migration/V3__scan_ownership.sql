-- Resuming scans: a scan is found again by its host and set of roots, and a running one
-- names its owner (machine, boot, process) and keeps a heartbeat, so that a later run can
-- tell a live scan from an abandoned one by evidence.

alter table treesum_scan
	add column roots_key text,
	add column owner_machine text,
	add column owner_boot_id text,
	add column owner_pid bigint,
	add column owner_started_at timestamptz,
	add column heartbeat_at timestamptz;

update treesum_scan set roots_key = array_to_string(array(select unnest(roots) order by 1), E'\n');

alter table treesum_scan alter column roots_key set not null;

create index treesum_scan_roots on treesum_scan (host, roots_key, id desc);

comment on column treesum_scan.roots_key is 'The roots sorted and joined by newlines: scans of the same roots share it';
comment on column treesum_scan.owner_pid is 'The process that runs or last ran the scan, on owner_machine during boot owner_boot_id';
comment on column treesum_scan.heartbeat_at is 'Refreshed every few seconds while the scan runs';

create or replace view treesum_scan_status as
select s.id as scan_id,
	s.host,
	s.roots,
	s.algorithm,
	coalesce(last.status, 'STARTING') as state,
	coalesce(runs.attempts, 0) as attempts,
	coalesce(p.partitions, 0) as partitions,
	coalesce(p.partitions_done, 0) as partitions_done,
	coalesce(p.files, 0) as files,
	coalesce(p.bytes, 0) as bytes,
	coalesce(p.errors, 0) as errors,
	s.created_at,
	runs.first_start as started_at,
	last.end_time as ended_at,
	last.exit_message,
	s.owner_machine,
	s.owner_pid,
	s.heartbeat_at,
	s.roots_key,
	s.owner_boot_id,
	s.owner_started_at
from treesum_scan s
left join lateral (
	select count(*) as attempts, min(e.start_time) as first_start
	from batch_job_execution e
	where e.job_instance_id = s.job_instance_id
) runs on true
left join lateral (
	select e.status, e.end_time, e.exit_message
	from batch_job_execution e
	where e.job_instance_id = s.job_instance_id
	order by e.job_execution_id desc
	limit 1
) last on true
left join lateral (
	select count(*) as partitions,
		count(*) filter (where exists (
			select 1
			from batch_step_execution se
			join batch_job_execution e on e.job_execution_id = se.job_execution_id
			where e.job_instance_id = s.job_instance_id
				and se.step_name = 'mountStep:' || tp.name
				and se.status = 'COMPLETED')) as partitions_done,
		sum(tp.files) as files,
		sum(tp.bytes) as bytes,
		sum(tp.errors) as errors
	from treesum_partition tp
	where tp.scan_id = s.id
) p on true;
