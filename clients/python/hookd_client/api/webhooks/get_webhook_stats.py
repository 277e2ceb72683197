from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.webhook_health import WebhookHealth
from ...types import UNSET, Response, Unset


def _get_kwargs(
    org: str,
    id: str,
    *,
    window: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["window"] = window

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/orgs/{org}/webhooks/{id}/stats".format(
            org=quote(str(org), safe=""),
            id=quote(str(id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | WebhookHealth:
    if response.status_code == 200:
        response_200 = WebhookHealth.from_dict(response.json())

        return response_200

    response_default = Problem.from_dict(response.json())

    return response_default


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Problem | WebhookHealth]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    org: str,
    id: str,
    *,
    client: AuthenticatedClient | Client,
    window: str | Unset = UNSET,
) -> Response[Problem | WebhookHealth]:
    """A webhook's health: attempts, results and latency over a window

    Args:
        org (str):
        id (str):
        window (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | WebhookHealth]
    """

    kwargs = _get_kwargs(
        org=org,
        id=id,
        window=window,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    org: str,
    id: str,
    *,
    client: AuthenticatedClient | Client,
    window: str | Unset = UNSET,
) -> Problem | WebhookHealth | None:
    """A webhook's health: attempts, results and latency over a window

    Args:
        org (str):
        id (str):
        window (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | WebhookHealth
    """

    return sync_detailed(
        org=org,
        id=id,
        client=client,
        window=window,
    ).parsed


async def asyncio_detailed(
    org: str,
    id: str,
    *,
    client: AuthenticatedClient | Client,
    window: str | Unset = UNSET,
) -> Response[Problem | WebhookHealth]:
    """A webhook's health: attempts, results and latency over a window

    Args:
        org (str):
        id (str):
        window (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | WebhookHealth]
    """

    kwargs = _get_kwargs(
        org=org,
        id=id,
        window=window,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    org: str,
    id: str,
    *,
    client: AuthenticatedClient | Client,
    window: str | Unset = UNSET,
) -> Problem | WebhookHealth | None:
    """A webhook's health: attempts, results and latency over a window

    Args:
        org (str):
        id (str):
        window (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | WebhookHealth
    """

    return (
        await asyncio_detailed(
            org=org,
            id=id,
            client=client,
            window=window,
        )
    ).parsed
