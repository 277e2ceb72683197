from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...models.issued_link import IssuedLink
from ...models.link_input import LinkInput
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    org: str,
    id: str,
    *,
    body: LinkInput | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/orgs/{org}/members/{id}/login-links".format(
            org=quote(str(org), safe=""),
            id=quote(str(id), safe=""),
        ),
    }

    if not isinstance(body, Unset):
        _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> IssuedLink | Problem:
    if response.status_code == 201:
        response_201 = IssuedLink.from_dict(response.json())

        return response_201

    response_default = Problem.from_dict(response.json())

    return response_default


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[IssuedLink | Problem]:
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
    body: LinkInput | Unset = UNSET,
) -> Response[IssuedLink | Problem]:
    """A one-time portal sign-in link for the member (operator; the body is optional)

    Args:
        org (str):
        id (str):
        body (LinkInput | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[IssuedLink | Problem]
    """

    kwargs = _get_kwargs(
        org=org,
        id=id,
        body=body,
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
    body: LinkInput | Unset = UNSET,
) -> IssuedLink | Problem | None:
    """A one-time portal sign-in link for the member (operator; the body is optional)

    Args:
        org (str):
        id (str):
        body (LinkInput | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        IssuedLink | Problem
    """

    return sync_detailed(
        org=org,
        id=id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    org: str,
    id: str,
    *,
    client: AuthenticatedClient | Client,
    body: LinkInput | Unset = UNSET,
) -> Response[IssuedLink | Problem]:
    """A one-time portal sign-in link for the member (operator; the body is optional)

    Args:
        org (str):
        id (str):
        body (LinkInput | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[IssuedLink | Problem]
    """

    kwargs = _get_kwargs(
        org=org,
        id=id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    org: str,
    id: str,
    *,
    client: AuthenticatedClient | Client,
    body: LinkInput | Unset = UNSET,
) -> IssuedLink | Problem | None:
    """A one-time portal sign-in link for the member (operator; the body is optional)

    Args:
        org (str):
        id (str):
        body (LinkInput | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        IssuedLink | Problem
    """

    return (
        await asyncio_detailed(
            org=org,
            id=id,
            client=client,
            body=body,
        )
    ).parsed
