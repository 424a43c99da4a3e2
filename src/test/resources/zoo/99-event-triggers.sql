-- last, so that loading the zoo does not fire them: an event trigger that logs DDL, and a disabled one
CREATE FUNCTION zoo.log_ddl() RETURNS event_trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO zoo.ddl_log (tag) VALUES (tg_tag);
END
$$;
CREATE FUNCTION zoo.refuse_drop() RETURNS event_trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'no drops in the zoo';
END
$$;
CREATE EVENT TRIGGER zoo_refuse_drop ON sql_drop EXECUTE PROCEDURE zoo.refuse_drop();
ALTER EVENT TRIGGER zoo_refuse_drop DISABLE;
CREATE EVENT TRIGGER zoo_log_ddl ON ddl_command_end EXECUTE PROCEDURE zoo.log_ddl();
COMMENT ON EVENT TRIGGER zoo_log_ddl IS 'logs every DDL command';
-- DDL on event triggers fires none; this one DDL command after the trigger exists puts one row into the log
CREATE TABLE zoo.after_event_trigger (x int);
