# JupyterHub with DockerSpawner: every learner gets a gradbook container.
#
#   pip install jupyterhub dockerspawner   (plus `npm install -g configurable-http-proxy`)
#   docker build -f tools/deploy/Dockerfile -t gradbook-singleuser:latest .
#   docker network create jupyterhub
#   docker volume create gradbook-exchange
#   jupyterhub -f tools/deploy/jupyterhub_config.py
#
# Sizing (measured, see README "JupyterHub"): a learner running a lesson peaks at about 450 MiB
# for server + kernel and uses up to one core while a cell trains; idle, the server holds about
# 130 MiB.
import os

c = get_config()  # noqa: F821 - provided by JupyterHub

c.JupyterHub.spawner_class = "dockerspawner.DockerSpawner"
c.DockerSpawner.image = os.environ.get("GRADBOOK_IMAGE", "gradbook-singleuser:latest")
# The image's CMD is `deno task --config /opt/gradbook/deno.json serve`; say it explicitly.
c.DockerSpawner.cmd = ["deno", "task", "--config", "/opt/gradbook/deno.json", "serve"]
c.DockerSpawner.network_name = "jupyterhub"
c.DockerSpawner.remove = True
# The hub must be reachable from the containers by name on that network.
c.JupyterHub.hub_ip = "0.0.0.0"
c.JupyterHub.hub_connect_ip = os.environ.get("HUB_CONNECT_IP", "jupyterhub")

# Each learner's work lives in their home volume; the exchange is one volume for the class.
c.DockerSpawner.volumes = {
    "gradbook-user-{username}": "/home/jovyan",
    "gradbook-exchange": "/srv/exchange",
}
c.DockerSpawner.environment = {
    # "Submit" writes <hub user>.json here; grade with `deno task grade /srv/exchange`.
    "GRADBOOK_EXCHANGE": "/srv/exchange",
}
c.DockerSpawner.mem_limit = "1G"
c.DockerSpawner.cpu_limit = 1.0

# Stop servers idle for an hour: gradbook reports activity (kernels running, pages open).
c.JupyterHub.services = [
    {
        "name": "idle-culler",
        "command": ["python3", "-m", "jupyterhub_idle_culler", "--timeout=3600"],
    }
]
c.JupyterHub.load_roles = [
    {
        "name": "idle-culler",
        "services": ["idle-culler"],
        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
    }
]

# Replace with your institution's authenticator (OAuthenticator, LDAP, ...).
c.JupyterHub.authenticator_class = os.environ.get("GRADBOOK_AUTHENTICATOR", "dummy")
c.Authenticator.admin_users = {"instructor"}
