import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROGRAMS } from './debian-packages';
import { answersOk, ManagedProcess, waitUntil } from './managed-process';
import { NGINX_TEMPLATE } from './repository-paths';

const READY_TIMEOUT_MS = 15_000;

/** What the template's placeholders stand for (the environment of the nginx image in compose). */
export interface EdgeTemplateValues {
  API_1_ADDRESS: string;
  API_2_ADDRESS: string;
  NGINX_LISTEN: string;
}

/**
 * What the nginx image's envsubst step does to a template: `${NAME}` replaced for the named
 * variables only, so nginx's own `$remote_addr` and the like reach nginx untouched.
 */
export function renderTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (placeholder, name: string) => (Object.hasOwn(values, name) ? values[name] : placeholder));
}

/**
 * The main configuration the image's /etc/nginx/nginx.conf is for compose: nginx in the
 * foreground, its pid, temp files and logs in `directory`, the rendered server block included in
 * http. The access log names the replica that answered each request (and its status), so a
 * test or a person can see where nginx sent it.
 */
function mainConfig(directory: string, logDirectory: string): string {
  const temp = (name: string) => join(directory, 'temp', name);
  return `daemon off;
worker_processes 1;
pid ${join(directory, 'nginx.pid')};
error_log stderr notice;

events {
  worker_connections 1024;
}

http {
  log_format upstream '$remote_addr [$time_local] "$request" $status $body_bytes_sent '
                      'upstream=$upstream_addr upstream_status=$upstream_status request_time=$request_time';
  access_log ${join(logDirectory, 'nginx-access.log')} upstream;
  client_body_temp_path ${temp('client_body')};
  proxy_temp_path ${temp('proxy')};
  fastcgi_temp_path ${temp('fastcgi')};
  uwsgi_temp_path ${temp('uwsgi')};
  scgi_temp_path ${temp('scgi')};

  include ${join(directory, 'conf.d')}/*.conf;
}
`;
}

/** Debian's nginx with the shared template rendered for this machine's ports, listening on 127.0.0.1:`port`. */
export async function startNginx(directory: string, logDirectory: string, port: number, apiPorts: [number, number]): Promise<ManagedProcess> {
  mkdirSync(join(directory, 'conf.d'), { recursive: true });
  mkdirSync(join(directory, 'temp'), { recursive: true });
  const values: EdgeTemplateValues = {
    API_1_ADDRESS: `127.0.0.1:${apiPorts[0]}`,
    API_2_ADDRESS: `127.0.0.1:${apiPorts[1]}`,
    NGINX_LISTEN: `127.0.0.1:${port}`,
  };
  writeFileSync(join(directory, 'conf.d', 'venues.conf'), renderTemplate(readFileSync(NGINX_TEMPLATE, 'utf8'), { ...values }));
  const configFile = join(directory, 'nginx.conf');
  writeFileSync(configFile, mainConfig(directory, logDirectory));

  const server = ManagedProcess.start({
    name: 'nginx',
    command: PROGRAMS.nginx.path,
    // -e: errors from before the configuration is read go to stderr too, not to /var/log/nginx.
    args: ['-c', configFile, '-p', directory, '-e', 'stderr'],
    cwd: directory,
    logFile: join(logDirectory, 'nginx.log'),
  });
  await waitUntil(() => answersOk(`http://127.0.0.1:${port}/health/live`), `nginx to proxy /health/live on port ${port}`, READY_TIMEOUT_MS, server);
  return server;
}
