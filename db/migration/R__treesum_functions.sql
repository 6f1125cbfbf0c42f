-- Functions the views and reports use, and the few that change the tables' layout. These are
-- repeatable migrations: edit them in place. A function's arguments and result columns are
-- its interface; change them only by adding a new function.

-- The readable text of a path that is not plain ASCII: UTF-8 as it is, every byte of an
-- invalid sequence as \xNN. treesum_path_text calls it for such paths.
create or replace function treesum_path_escape(path bytea) returns text
language plpgsql immutable strict parallel safe as $$
declare
	result text := '';
	position integer := 0;
	length integer := octet_length(path);
	lead integer;
	width integer;
begin
	begin
		return convert_from(path, 'UTF8');
	exception when character_not_in_repertoire or untranslatable_character then
		null;
	end;
	while position < length loop
		lead := get_byte(path, position);
		width := case when lead < 128 then 1 when lead >= 194 and lead < 224 then 2
			when lead >= 224 and lead < 240 then 3 when lead >= 240 and lead < 245 then 4 else 0 end;
		if width = 1 then
			result := result || chr(lead);
			position := position + 1;
			continue;
		end if;
		if width > 1 and position + width <= length then
			begin
				result := result || convert_from(substring(path from position + 1 for width), 'UTF8');
				position := position + width;
				continue;
			exception when character_not_in_repertoire or untranslatable_character then
				null;
			end;
		end if;
		result := result || '\x' || lpad(to_hex(lead), 2, '0');
		position := position + 1;
	end loop;
	return result;
end
$$;

-- The readable form of a path: UTF-8 as it is, every byte of an invalid sequence as \xNN.
-- Two different paths can share a readable form; their bytes are their identity.
-- encode() doubles backslashes and writes bytes over 127 as octal: when it changed
-- nothing, the path is ASCII and its text is the same. Most paths are; for them this is
-- one expression the planner inlines into the query, not a PL/pgSQL call per row.
create or replace function treesum_path_text(path bytea) returns text
language sql immutable parallel safe as $$
	select case when octet_length(encode(path, 'escape')) = octet_length(path) then encode(path, 'escape')
		else treesum_path_escape(path) end
$$;

create or replace function treesum_kind(code "char") returns text
language sql immutable strict parallel safe as $$
	select case code when 'f' then 'file' when 'd' then 'directory' when 'l' then 'symlink' when 'p' then 'fifo'
		when 's' then 'socket' when 'b' then 'block-device' when 'c' then 'char-device' else 'unknown' end
$$;

create or replace function treesum_status(code "char") returns text
language sql immutable strict parallel safe as $$
	select case code when 'o' then 'ok' when 'u' then 'unreadable' when 'v' then 'vanished'
		when 'c' then 'changed-during-read' else 'io-error' end
$$;

-- The functions below change the tables' layout, which only their owner may do, so they run
-- with the owner's rights (security definer): a writer role scans and prunes without owning
-- the schema. Each first checks that its caller may write the tables it changes, so that a
-- read-only role cannot write through them.
create or replace function treesum_require(privilege text, tables text) returns void
language plpgsql stable set search_path = ${flyway:defaultSchema}, pg_temp as $$
begin
	if not has_table_privilege(session_user, tables, privilege) then
		raise exception 'permission denied: % may not % %', session_user, lower(privilege), tables
			using errcode = 'insufficient_privilege';
	end if;
end
$$;

-- A new scan of a host's roots, with the partitions its rows go to. The first scan of a set
-- of roots also creates the series and its dictionary of paths.
create or replace function treesum_create_scan(scan_host text, scan_roots text[], scan_roots_key text,
	scan_algorithm text, scan_excludes text[], scan_all_mounts boolean, scan_io_concurrency integer,
	scan_incremental boolean, scan_reverify_percent real) returns integer
language plpgsql security definer set search_path = ${flyway:defaultSchema}, pg_temp as $$
declare
	series integer;
	scan integer;
begin
	perform treesum_require('INSERT', 'treesum_scan');
	insert into treesum_series (host, roots_key) values (scan_host, scan_roots_key) on conflict do nothing;
	select id into series from treesum_series where host = scan_host and roots_key = scan_roots_key;
	-- Partitions are made apart and then attached, which takes a lock on the parent that
	-- only other attaching scans wait for: creating one in place would lock every host's
	-- readers and writers out, and deadlock with a chunk that holds the parent already.
	if to_regclass('treesum_path_' || series) is null then
		execute format('create table %I (like treesum_path)', 'treesum_path_' || series);
		-- A path is in a dictionary once: a hash index keeps it so, at a fraction of the
		-- size of a B-tree over the whole path.
		execute format('alter table %I add exclude using hash (path with =)', 'treesum_path_' || series);
		execute format('alter table treesum_path attach partition %I for values in (%s)', 'treesum_path_' || series,
			series);
	end if;
	insert into treesum_scan (series_id, series_no, host, roots, roots_key, algorithm, excludes, all_mounts,
		io_concurrency, incremental, reverify_percent)
	values (series, coalesce((select max(series_no) from treesum_scan where series_id = series), 0) + 1,
		scan_host, scan_roots, scan_roots_key, scan_algorithm, scan_excludes, scan_all_mounts,
		scan_io_concurrency, scan_incremental, scan_reverify_percent)
	returning id into scan;
	execute format('create table %I (like treesum_entry)', 'treesum_entry_' || scan);
	execute format('alter table treesum_entry attach partition %I for values in (%s)', 'treesum_entry_' || scan, scan);
	execute format('create table %I (like treesum_error)', 'treesum_error_' || scan);
	execute format('alter table treesum_error attach partition %I for values in (%s)', 'treesum_error_' || scan, scan);
	return scan;
end
$$;

-- Drop a scan's entries by detaching and dropping their partitions: constant time, and the
-- space is back at once. The scan stays listed, with its totals. Dropping a partition locks
-- its parent, which every host's scans read: it waits at most half a second, less than it
-- takes PostgreSQL to look for a deadlock, so a chunk queued behind it is never the one
-- aborted; returns false if queries hold it longer, and prune tries again later.
create or replace function treesum_drop_entries(scan integer) returns boolean
language plpgsql security definer set search_path = ${flyway:defaultSchema}, pg_temp as $$
begin
	perform treesum_require('DELETE', 'treesum_entry');
	set local lock_timeout = '500ms';
	execute format('drop table if exists %I, %I', 'treesum_entry_' || scan, 'treesum_error_' || scan);
	update treesum_scan set pruned_at = now() where id = scan;
	return true;
exception when lock_not_available or deadlock_detected then
	return false;
end
$$;

-- Delete the paths of a series that none of its scans' entries refer to any more.
-- prune calls it after dropping scans, holding the series' scan lock, so no scan of the
-- series adds paths meanwhile. It takes no lock that others wait for.
create or replace function treesum_collect_paths(series integer) returns bigint
language plpgsql security definer set search_path = ${flyway:defaultSchema}, pg_temp as $$
declare
	deleted bigint;
begin
	perform treesum_require('DELETE', 'treesum_path');
	delete from treesum_path d
	where d.series_id = series
		and not exists (
			select 1
			from treesum_entry e
			where e.scan_id in (select s.id from treesum_scan s where s.series_id = series and s.pruned_at is null)
				and e.path_no = d.path_no);
	get diagnostics deleted = row_count;
	return deleted;
end
$$;
