/*
 * The built-in templates ([MS-OXOABKT]): the descriptions compiled in from
 * the templates/ directory (nspi_templates_data.c), looked up by display type
 * ([MS-OXNSPI] 3.1.4.1.18) or listed as address-creation templates
 * ([MS-OXOABKT] 2.2.1). One language: English, served for every locale.
 */
#include "nspi_template.h"

uint32_t nspi_template_for_type(TALLOC_CTX *mem_ctx, uint32_t display_type,
				struct nspi_template **t_r)
{
	size_t i;

	for (i = 0; i < nspi_n_template_sources; i++) {
		struct nspi_template *t = NULL;
		uint32_t err = nspi_template_parse(mem_ctx,
			nspi_template_sources[i].text, &t, NULL);

		if (err != NSPI_Success) {
			return err;
		}
		if (t->display_type == display_type && t->address_type == NULL) {
			*t_r = t;
			return NSPI_Success;
		}
		talloc_free(t);
	}
	return NSPI_InvalidLocale;
}

uint32_t nspi_template_creation_list(TALLOC_CTX *mem_ctx,
				     struct nspi_template ***list_r,
				     uint32_t *n_r)
{
	struct nspi_template **list;
	uint32_t n = 0;
	size_t i;

	list = talloc_array(mem_ctx, struct nspi_template *,
			    nspi_n_template_sources + 1);
	if (list == NULL) {
		return NSPI_NotEnoughMemory;
	}
	for (i = 0; i < nspi_n_template_sources; i++) {
		struct nspi_template *t = NULL;
		uint32_t err = nspi_template_parse(list,
			nspi_template_sources[i].text, &t, NULL);

		if (err != NSPI_Success) {
			talloc_free(list);
			return err;
		}
		if (t->address_type == NULL) {
			talloc_free(t);
			continue;
		}
		list[n++] = t;
	}
	*list_r = list;
	*n_r = n;
	return NSPI_Success;
}
