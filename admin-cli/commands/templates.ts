/** `findo templates`: the WhatsApp templates Findo needs, as Meta's template manager asks for them. */
import { Command } from 'commander';
import { renderTemplatesForMetaManager, TEMPLATES, type TemplateDefinition, type TemplateName } from '../../bot/templates.ts';
import { templateBody } from '../../bot/texts/index.ts';
import { printJson } from '../runtime.ts';

/**
 * The TEMPLATES catalog as JSON, keyed by template name, each with its body per language written
 * the way Meta wants it (`{{1}}`, `{{2}}`… in `parameters` order).
 */
export function templatesView() {
  return Object.fromEntries(
    (Object.keys(TEMPLATES) as TemplateName[]).map((name) => {
      const template: TemplateDefinition = TEMPLATES[name];
      const body = Object.fromEntries(template.languages.map((language) => [language, templateBody(language, template.bodyKey)]));
      return [name, { ...template, body }];
    }),
  );
}

export function makeTemplatesCommand(): Command {
  return new Command('templates')
    .description("print the WhatsApp message templates to submit in Meta's template manager")
    .option('--json', 'print the template catalog as JSON')
    .action((o: { json?: boolean }) => {
      if (o.json) return printJson(templatesView());
      process.stdout.write(renderTemplatesForMetaManager());
    });
}
