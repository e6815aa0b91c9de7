-- drop default_privilege public.owner_role.SEQUENCES | tx | none
ALTER DEFAULT PRIVILEGES FOR ROLE owner_role IN SCHEMA public REVOKE USAGE ON SEQUENCES FROM app_user;

-- create default_privilege public.owner_role.FUNCTIONS | tx | none
ALTER DEFAULT PRIVILEGES FOR ROLE owner_role IN SCHEMA public GRANT EXECUTE ON FUNCTIONS TO api;

-- alter default_privilege public.owner_role.TABLES | tx | none
ALTER DEFAULT PRIVILEGES FOR ROLE owner_role IN SCHEMA public GRANT INSERT, SELECT, UPDATE ON TABLES TO app_user WITH GRANT OPTION;
