/*
 * cmd_trail.c - keygen, init, policy set, reviewer add/remove/list.
 */
#include <stdlib.h>
#include <string.h>

#include "actions.h"
#include "buf.h"
#include "cli.h"
#include "home.h"
#include "policy.h"
#include "registry.h"
#include "sshkey.h"
#include "writer.h"

int cmd_keygen(struct ss_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{0, 0, 0, 0}};
	char *path = NULL, *pub = NULL;
	int c, err;

	ss_cli_getopt_reset();
	while ((c = ss_cli_getopt(cli, argc, argv, opts)) != -1)
		if (c == '?')
			return 2;
	if (argc - optind != 1)
		return ss_cli_usage(cli, "give one handle");
	if (!ss_name_valid(argv[optind]))
		return ss_cli_usage(cli,
				    "'%s' is not a valid handle: use lowercase letters, digits and "
				    "'-', up to 32, starting with a letter or digit",
				    argv[optind]);
	if ((err = ss_home_ensure(cli->home)) || (err = ss_home_key_path(cli->home, argv[optind], &path)))
		return ss_cli_fail(err);
	err = ss_key_generate(path, argv[optind], &pub);
	if (err) {
		free(path);
		return ss_cli_fail(err);
	}
	printf("%s\n", pub);
	ss_cli_note(cli, "your key is in '%s'; give the line above to whoever registers you", path);
	free(path);
	free(pub);
	return 0;
}

int cmd_init(struct ss_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"policy", required_argument, 0, 'p'}, {"name", required_argument, 0, 'n'},
		{"email", required_argument, 0, 'e'},  {"role", required_argument, 0, 'r'},
		{"title", required_argument, 0, 't'},  {0, 0, 0, 0}};
	struct ss_init_req req = {0};
	struct ss_init_result res;
	int c, err;

	ss_cli_getopt_reset();
	while ((c = ss_cli_getopt(cli, argc, argv, opts)) != -1) {
		switch (c) {
		case 'p': req.policy_path = optarg; break;
		case 'n': req.name = optarg; break;
		case 'e': req.email = optarg; break;
		case 'r': req.role = optarg; break;
		case 't': req.title = optarg; break;
		default: return 2;
		}
	}
	if (optind != argc)
		return ss_cli_usage(cli, "unexpected argument '%s'", argv[optind]);
	if (!req.policy_path || !req.name || !req.email)
		return ss_cli_usage(cli, "init needs --policy, --name and --email");
	if (cli->as == NULL)
		return ss_cli_usage(cli, "say who is founding the trail with --as HANDLE");
	req.trail = cli->trail;
	req.home = cli->home;
	req.handle = cli->as;
	if ((err = ss_act_init(&req, &res)))
		return ss_cli_fail(err);
	if (cli->json) {
		printf("{\"trail\": \"%s\", \"trail_id\": \"%s\", \"founder\": \"%s\", "
		       "\"key_fingerprint\": \"%s\", \"pseudonym_key_fingerprint\": \"%s\"}\n",
		       cli->trail, res.trail_id, cli->as, res.key_fingerprint,
		       res.pseudonym_fingerprint);
	} else {
		printf("trail id:        %s\n", res.trail_id);
		printf("founder key:     %s\n", res.key_fingerprint);
		printf("pseudonym key:   %s\n", res.pseudonym_fingerprint);
		ss_cli_note(cli,
			    "created '%s'. Publish the trail id and founder key fingerprint: anyone "
			    "can then check the trail with: ssaudit verify --root %s",
			    cli->trail, res.trail_id);
		if (res.pseudonym_key_created)
			ss_cli_note(cli,
				    "a new pseudonym key was made in '%s'; keep it on this machine "
				    "and back it up safely",
				    cli->home);
	}
	return 0;
}

int cmd_policy(struct ss_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{0, 0, 0, 0}};
	struct ss_writer_opts wo = {cli->trail, cli->home, cli->as};
	struct ss_writer *w = NULL;
	bool unchanged = false;
	int c, err;

	ss_cli_getopt_reset();
	while ((c = ss_cli_getopt(cli, argc, argv, opts)) != -1)
		if (c == '?')
			return 2;
	if (argc - optind != 2 || strcmp(argv[optind], "set") != 0)
		return ss_cli_usage(cli, "say: policy set FILE");
	if ((err = ss_writer_open(&wo, &w)) || (err = ss_act_policy_set(w, argv[optind + 1], &unchanged))) {
		ss_writer_close(w);
		return ss_cli_fail(err);
	}
	ss_cli_note(cli, unchanged ? "that policy is already in force; nothing recorded"
				   : "the new policy is in force");
	ss_writer_close(w);
	return 0;
}

static int reviewer_list(struct ss_cli *cli)
{
	struct ss_trail *t = NULL;
	struct ss_registry *reg = NULL;
	struct ss_oid tip;
	size_t i;
	int err;

	if ((err = ss_trail_open(cli->trail, &t)))
		return ss_cli_fail(err);
	err = ss_trail_tip(t, &tip);
	if (err == SS_ENOTFOUND)
		err = ss_error_set(SS_ENOINPUT, "the audit trail has no history yet");
	if (err || (err = ss_registry_load(t, &tip, &reg))) {
		ss_trail_free(t);
		return ss_cli_fail(err);
	}
	if (cli->json) {
		struct ss_buf b = SS_BUF_INIT;

		ss_buf_puts(&b, "[");
		for (i = 0; i < reg->n; i++) {
			const struct ss_reviewer *r = &reg->r[i];
			char fp[SS_FINGERPRINT_LEN];

			if (r->has_key)
				ss_pubkey_fingerprint(r->pk, fp);
			ss_buf_puts(&b, i ? ",\n {\"handle\": " : "\n {\"handle\": ");
			ss_buf_json_string_or_null(&b, r->handle);
			ss_buf_puts(&b, ", \"name\": ");
			ss_buf_json_string_or_null(&b, r->name);
			ss_buf_puts(&b, ", \"email\": ");
			ss_buf_json_string_or_null(&b, r->email);
			ss_buf_puts(&b, ", \"role\": ");
			ss_buf_json_string_or_null(&b, r->role);
			ss_buf_puts(&b, ", \"key_fingerprint\": ");
			ss_buf_json_string_or_null(&b, r->has_key ? fp : NULL);
			ss_buf_puts(&b, ", \"added\": ");
			ss_buf_json_string_or_null(&b, r->added);
			ss_buf_puts(&b, ", \"removed\": ");
			ss_buf_json_string_or_null(&b, r->removed);
			ss_buf_puts(&b, "}");
		}
		ss_buf_puts(&b, reg->n ? "\n]\n" : "]\n");
		fputs(b.data, stdout);
		ss_buf_release(&b);
	} else {
		printf("%-20s %-22s %-8s %-11s %s\n", "HANDLE", "ROLE", "KEY", "STATUS", "NAME");
		for (i = 0; i < reg->n; i++) {
			const struct ss_reviewer *r = &reg->r[i];

			printf("%-20s %-22s %-8s %-11.10s %s\n", r->handle, r->role,
			       r->has_key ? "own" : "none", r->removed ? r->removed : "active",
			       r->name);
		}
	}
	ss_registry_free(reg);
	ss_trail_free(t);
	return 0;
}

int cmd_reviewer(struct ss_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"role", required_argument, 0, 'r'}, {"name", required_argument, 0, 'n'},
		{"email", required_argument, 0, 'e'}, {"key", required_argument, 0, 'k'},
		{0, 0, 0, 0}};
	struct ss_writer_opts wo = {cli->trail, cli->home, cli->as};
	struct ss_writer *w = NULL;
	const char *role = NULL, *name = NULL, *email = NULL, *key = NULL, *verb;
	int c, err;

	ss_cli_getopt_reset();
	/* The verb comes first: reviewer add|remove|list ... */
	if (argc < 2)
		return ss_cli_usage(cli, "say add, remove or list");
	verb = argv[1];
	argv++;
	argc--;
	while ((c = ss_cli_getopt(cli, argc, argv, opts)) != -1) {
		switch (c) {
		case 'r': role = optarg; break;
		case 'n': name = optarg; break;
		case 'e': email = optarg; break;
		case 'k': key = optarg; break;
		default: return 2;
		}
	}
	if (strcmp(verb, "list") == 0) {
		if (optind != argc)
			return ss_cli_usage(cli, "reviewer list takes no arguments");
		return reviewer_list(cli);
	}
	if (strcmp(verb, "add") != 0 && strcmp(verb, "remove") != 0)
		return ss_cli_usage(cli, "'%s': say add, remove or list", verb);
	if (argc - optind != 1)
		return ss_cli_usage(cli, "give one handle");
	if (strcmp(verb, "add") == 0 && (!role || !name || !email))
		return ss_cli_usage(cli, "reviewer add needs --role, --name and --email");
	if (strcmp(verb, "remove") == 0 && (role || name || email || key))
		return ss_cli_usage(cli, "reviewer remove takes only a handle");
	if ((err = ss_writer_open(&wo, &w)))
		return ss_cli_fail(err);
	if (strcmp(verb, "add") == 0)
		err = ss_act_reviewer_add(w, argv[optind], role, name, email, key);
	else
		err = ss_act_reviewer_remove(w, argv[optind]);
	ss_writer_close(w);
	if (err)
		return ss_cli_fail(err);
	ss_cli_note(cli, "%s %s", argv[optind],
		    strcmp(verb, "add") == 0 ? "is registered" : "is removed from the register");
	return 0;
}
