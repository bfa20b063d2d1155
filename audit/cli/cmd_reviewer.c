/*
 * cmd_reviewer.c - `ssaudit reviewer add|remove|list`: the register of people
 * and their roles.
 */
#include <stdlib.h>
#include <string.h>

#include "act.h"
#include "buf.h"
#include "cli.h"
#include "registry.h"
#include "sshkey.h"
#include "writer.h"

static int reviewer_list(struct ss_cli *cli)
{
	struct ss_trail *t = NULL;
	struct ss_registry *reg = NULL;
	struct ss_oid tip;
	size_t i;
	int err;

	if ((err = ss_git_open_read(cli->trail, &t)))
		return ss_cli_fail(err);
	err = ss_git_tip(t, &tip);
	if (err == SS_ENOTFOUND)
		err = ss_error_set(SS_ENOINPUT, _("the audit trail has no history yet"));
	if (err || (err = ss_registry_load(t, &tip, &reg))) {
		ss_git_free(t);
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
		/* padded by characters: a heading's Welsh may hold a letter like Ô */
		printf("%-20s %s%*s %-8s %-11s %s\n", _("HANDLE"), _("ROLE"),
		       ss_cli_pad(_("ROLE"), 22), "", _("KEY"), _("STATUS"), _("NAME"));
		for (i = 0; i < reg->n; i++) {
			const struct ss_reviewer *r = &reg->r[i];

			printf("%-20s %-22s %-8s %-11.10s %s\n", r->handle, r->role,
			       r->has_key ? _("own") : _("none"),
			       r->removed ? r->removed : _("active"), r->name);
		}
	}
	ss_registry_free(reg);
	ss_git_free(t);
	return 0;
}

int cmd_reviewer(struct ss_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"role", required_argument, 0, 'r'},
	                                     {"name", required_argument, 0, 'n'},
	                                     {"email", required_argument, 0, 'e'},
	                                     {"key", required_argument, 0, 'k'},
	                                     {0, 0, 0, 0}};
	struct ss_writer_opts wo = {cli->trail, cli->home, cli->as};
	struct ss_writer *w = NULL;
	const char *role = NULL, *name = NULL, *email = NULL, *key = NULL, *verb;
	int c, err;

	ss_cli_getopt_reset();
	/* The verb comes first: reviewer add|remove|list ... */
	if (argc < 2)
		return ss_cli_usage(cli, _("say add, remove or list"));
	verb = argv[1];
	argv++;
	argc--;
	while ((c = ss_cli_getopt(cli, argc, argv, opts)) != -1) {
		switch (c) {
		case 'r':
			role = optarg;
			break;
		case 'n':
			name = optarg;
			break;
		case 'e':
			email = optarg;
			break;
		case 'k':
			key = optarg;
			break;
		default:
			return 2;
		}
	}
	if (strcmp(verb, "list") == 0) {
		if (optind != argc)
			return ss_cli_usage(cli, _("reviewer list takes no arguments"));
		return reviewer_list(cli);
	}
	if (strcmp(verb, "add") != 0 && strcmp(verb, "remove") != 0)
		return ss_cli_usage(cli, _("'%s': say add, remove or list"), verb);
	if (argc - optind != 1)
		return ss_cli_usage(cli, _("give one handle"));
	if (strcmp(verb, "add") == 0 && (!role || !name || !email))
		return ss_cli_usage(cli, _("reviewer add needs --role, --name and --email"));
	if (strcmp(verb, "remove") == 0 && (role || name || email || key))
		return ss_cli_usage(cli, _("reviewer remove takes only a handle"));
	if ((err = ss_writer_open(&wo, &w)))
		return ss_cli_fail(err);
	if (strcmp(verb, "add") == 0)
		err = ss_act_reviewer_add(w, argv[optind], role, name, email, key);
	else
		err = ss_act_reviewer_remove(w, argv[optind]);
	ss_writer_close(w);
	if (err)
		return ss_cli_fail(err);
	if (strcmp(verb, "add") == 0)
		ss_cli_note(cli, _("%s is registered"), argv[optind]);
	else
		ss_cli_note(cli, _("%s is removed from the register"), argv[optind]);
	return 0;
}
