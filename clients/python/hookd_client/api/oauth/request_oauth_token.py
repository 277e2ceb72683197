from http import HTTPStatus
from typing import Any

import httpx

from ...client import AuthenticatedClient, Client
from ...models.grant import Grant
from ...models.problem import Problem
from ...models.token_request import TokenRequest
from ...types import Response


def _get_kwargs(
    *,
    body: TokenRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/oauth/token",
    }

    _kwargs["data"] = body.to_dict()
    headers["Content-Type"] = "application/x-www-form-urlencoded"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Grant | Problem:
    if response.status_code == 200:
        response_200 = Grant.from_dict(response.json())

        return response_200

    response_default = Problem.from_dict(response.json())

    return response_default


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Grant | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: TokenRequest,
) -> Response[Grant | Problem]:
    """OAuth2 client-credentials grant: an access token's ID and value (HTTP Basic or in the form) for a
    bearer token that works for an hour

    Args:
        body (TokenRequest): The form a client sends (`application/x-www-form-urlencoded`); other
            fields, such as
            `scope`, are ignored: a grant has its access token's role.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Grant | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: TokenRequest,
) -> Grant | Problem | None:
    """OAuth2 client-credentials grant: an access token's ID and value (HTTP Basic or in the form) for a
    bearer token that works for an hour

    Args:
        body (TokenRequest): The form a client sends (`application/x-www-form-urlencoded`); other
            fields, such as
            `scope`, are ignored: a grant has its access token's role.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Grant | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: TokenRequest,
) -> Response[Grant | Problem]:
    """OAuth2 client-credentials grant: an access token's ID and value (HTTP Basic or in the form) for a
    bearer token that works for an hour

    Args:
        body (TokenRequest): The form a client sends (`application/x-www-form-urlencoded`); other
            fields, such as
            `scope`, are ignored: a grant has its access token's role.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Grant | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: TokenRequest,
) -> Grant | Problem | None:
    """OAuth2 client-credentials grant: an access token's ID and value (HTTP Basic or in the form) for a
    bearer token that works for an hour

    Args:
        body (TokenRequest): The form a client sends (`application/x-www-form-urlencoded`); other
            fields, such as
            `scope`, are ignored: a grant has its access token's role.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Grant | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
