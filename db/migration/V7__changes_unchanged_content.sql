-- A file whose content is unchanged is not a change. DESIGN.md: "modified" is content and
-- mtime or size changed; "corrupted" is content changed while size and mtime did not. V5
-- and V6 also listed as modified a file whose digest was the same in both scans but whose
-- modification time had moved (touch, a restore, a copy tool that does not keep times), with
-- previous_digest equal to digest. The size and the modification time now decide only where
-- a digest is unknown in either scan (unreadable, changed during read).
-- The rest is V6's function unchanged.

create or replace function treesum_changes(scan bigint, base bigint)
returns table (change text, path text, previous_path text, size bigint, previous_digest text, digest text)
language sql stable
set enable_hashjoin = off
set enable_seqscan = off
set enable_bitmapscan = off
as $$
	with differences as materialized (
		select n.path as new_path, o.path as old_path, n.path_text as new_text, o.path_text as old_text,
			n.size as new_size, o.size as old_size, n.mtime_ns as new_mtime, o.mtime_ns as old_mtime,
			n.digest as new_digest, o.digest as old_digest
		from (
			select f.path, f.path_text, f.size, f.mtime_ns, f.digest
			from treesum_file f
			where f.scan_id = scan and f.kind = 'file'
		) n
		full join (
			select f.path, f.path_text, f.size, f.mtime_ns, f.digest
			from treesum_file f
			where f.scan_id = base and f.kind = 'file'
		) o on o.path = n.path
		where n.path is null or o.path is null
			or case
				when n.digest is not null and o.digest is not null then n.digest <> o.digest
				else n.size is distinct from o.size or n.mtime_ns is distinct from o.mtime_ns
			end
	),
	-- Added and deleted files, numbered within each side's files of one digest and size.
	ranked as (
		select case when d.old_path is null then 'added' else 'deleted' end as side,
			coalesce(d.new_path, d.old_path) as path,
			coalesce(d.new_text, d.old_text) as path_text,
			coalesce(d.new_size, d.old_size) as size,
			coalesce(d.new_digest, d.old_digest) as digest,
			row_number() over (partition by d.old_path is null, coalesce(d.new_digest, d.old_digest),
				coalesce(d.new_size, d.old_size) order by coalesce(d.new_path, d.old_path)) as rank
		from differences d
		where d.new_path is null or d.old_path is null
	),
	-- The n-th added and the n-th deleted file of one digest and size are a move: one to one.
	paired as (
		select r.side, r.path, r.path_text, r.size, r.digest,
			r.digest is not null and count(*) over pair = 2 as moved,
			max(r.path_text) filter (where r.side = 'deleted') over pair as previous_path
		from ranked r
		window pair as (partition by r.digest, r.size, r.rank)
	)
	select case when p.moved then 'moved' else p.side end, p.path_text,
		case when p.moved then p.previous_path end, p.size,
		case when p.side = 'deleted' or p.moved then encode(p.digest, 'hex') end,
		case when p.side = 'added' then encode(p.digest, 'hex') end
	from paired p
	where not (p.moved and p.side = 'deleted')
	union all
	select case
			when d.new_digest is not null and d.old_digest is not null and d.new_digest <> d.old_digest
				and d.new_size = d.old_size and d.new_mtime = d.old_mtime then 'corrupted'
			else 'modified'
		end,
		d.new_text, null, d.new_size, encode(d.old_digest, 'hex'), encode(d.new_digest, 'hex')
	from differences d
	where d.new_path is not null and d.old_path is not null
$$;
